// The AOHTTPServer module; see ../../../shared/STYLE.md.
