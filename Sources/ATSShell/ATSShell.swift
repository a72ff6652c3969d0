// The ATSShell module; see ../../../shared/STYLE.md.
