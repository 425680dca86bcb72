from publish.cli import main

raise SystemExit(main())
