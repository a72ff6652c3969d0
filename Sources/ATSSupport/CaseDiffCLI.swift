/// `ats diff CASE_A CASE_B [options]`: lines up two case files and reports differences.
public enum CaseDiffCLI {
    /// Runs `ats diff` with the arguments after `diff`; returns the exit code.
    public static func main(_ arguments: [String]) -> Int32 {
        print("ats diff: not built yet")
        return 1
    }
}
