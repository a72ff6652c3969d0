// The ats executable: wires the real world and dispatches to the module that owns each part
// of the command line.
import AOHTTPServer
import ATSLSP
import ATSREPL
import ATSShell
import ATSSupport
import ATSSystem

#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
let code: Int32
switch arguments.first {
case "sim":
    code = await SimulatorCLI.main(Array(arguments.dropFirst()))
case "diff":
    code = CaseDiffCLI.main(Array(arguments.dropFirst()))
case "lsp":
    code = LanguageServer.main()
default:
    code = ShellCLI.run(arguments, world: .system(), runREPL: REPL.run)
}
exit(code)
