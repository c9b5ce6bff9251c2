"""The validation rules, one module per family (see :mod:`sheets_tool.validate`, which
runs them): ``fields`` (typing values), ``rows`` (a row, totals, footers, dates),
``teams`` (rosters), ``steering`` (steering committees) and ``across`` (the files of one
commune together)."""
