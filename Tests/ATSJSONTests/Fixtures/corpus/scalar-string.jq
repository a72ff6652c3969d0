"top-level string"
