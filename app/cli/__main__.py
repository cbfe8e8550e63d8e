"""`python -m praverka.app.cli` runs the command line."""

from praverka.app.cli.main import main

raise SystemExit(main())
