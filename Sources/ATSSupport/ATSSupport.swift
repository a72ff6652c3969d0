// The ATSSupport module; see ../../../shared/STYLE.md.
