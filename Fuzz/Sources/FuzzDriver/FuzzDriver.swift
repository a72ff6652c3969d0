import CFuzzDriver

/// One input of a fuzz target: libFuzzer's bytes.
public typealias FuzzInput = UnsafeBufferPointer<UInt8>

/// Runs libFuzzer with the process's arguments, calling `body` for every input. `body`
/// must not capture anything (it is a C function pointer): use a global function.
/// A finding is a crash (a failed `precondition`), a timeout or running out of memory.
public func runFuzzer(_ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, body))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
