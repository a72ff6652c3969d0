// The ats executable: wires the real world, reads the command line and dispatches to the
// module that owns each part of it.
import AOHTTPServer
import ATSCommandLine
import ATSLSP
import ATSREPL
import ATSShell
import ATSSupport
import ATSSystem

#if canImport(Glibc)
import Glibc
#endif

let world = World.system()
let code: Int32
switch ATSCommandLine.parse(Array(CommandLine.arguments.dropFirst())) {
case .shell(let options, let invocation):
    code = ShellCLI.run(options, invocation, world: world, runREPL: REPL.run)
case .simulator(let options):
    code = await SimulatorCLI.main(options)
case .diff(let arguments):
    code = CaseDiffCLI.main(arguments)
case .languageServer:
    code = LanguageServer.main()
case .exit(let text, let status):
    code = ShellCLI.finish(text, code: status, world: world)
}
exit(code)
