/// `ats sim [--port N] [--seed N] [--tasks N] [--speed X] [--quirks …] [--faults …] [--replay FILE]`:
/// runs the simulator (or a replay) as an HTTP server until interrupted.
public enum SimulatorCLI {
    /// Runs `ats sim` with the arguments after `sim`; returns the exit code.
    public static func main(_ arguments: [String]) async -> Int32 {
        print("ats sim: not built yet")
        return 1
    }
}
