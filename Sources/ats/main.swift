// The ats executable: reads the command line and dispatches to the module that owns each part.
import AOHTTPServer
import ATSREPL
import ATSShell
import ATSSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

let code: Int32
switch ATSCommandLine.parse(Array(CommandLine.arguments.dropFirst())) {
case .shell(let options, let invocation):
    code = ShellCLI.main(options, invocation, runREPL: REPL.run)
case .simulator(let options):
    code = await SimulatorCLI.main(options)
case .diff(let arguments):
    code = CaseDiffCLI.main(arguments)
case .languageServer:
    // The hook for `ats lsp` (issue 17): the lead connects ATSLSP's server here at merge.
    FileHandle.standardError.write(Data("ats lsp: the language server is not built into this ats yet\n".utf8))
    code = ATSCommandLine.usageErrorCode
case .exit(let text, let status):
    FileHandle(fileDescriptor: status == 0 ? STDOUT_FILENO : STDERR_FILENO).write(Data(text.utf8))
    code = status
}
exit(code)
