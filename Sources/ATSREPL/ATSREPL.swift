// The ATSREPL module; see ../../../shared/STYLE.md.
