// The AOSimulator module; see ../../../shared/STYLE.md.
