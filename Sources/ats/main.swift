// The ats executable: wiring of the command line, real stdio and the terminal.
print("ats: under construction")
