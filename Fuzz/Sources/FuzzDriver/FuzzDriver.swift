import CFuzzDriver

/// One input of a fuzz target: libFuzzer's bytes.
public typealias FuzzInput = UnsafeBufferPointer<UInt8>

/// Runs libFuzzer with the process's arguments, calling `body` for every input. `body`
/// must not capture anything (it is a C function pointer): use a global function.
/// A finding is a crash (a failed `check`), a timeout or running out of memory.
public func runFuzzer(_ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, body))
}

/// Stops the fuzzer with a finding when `condition` is false, printing `message` and where
/// (a release build's `precondition` drops its message, which a finding needs).
public func check(
    _ condition: Bool, _ message: @autoclosure () -> String = "", file: StaticString = #fileID, line: UInt = #line
) {
    if condition { return }
    let text = "fuzz check failed at \(file):\(line): \(message())\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    abort()
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
