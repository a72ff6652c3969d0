// Classifies typical REPL lines as the REPL does before running each one (is the input
// complete?), N times, and prints the lines classified per second. Run by `scripts/bench-session`.
//   repl-bench [N]
import ATSLanguage

let lines = [
    "tasks --status failed | where .name =~ \"Backup\" | sort .submitTime --desc | first 5",
    "let t = task 5381",
    "for t in $stale {",
    "    echo \"force-stopping ${t.instanceID} (${t.name})\"",
    "}",
    "if $t.status == \"failed\" { echo \"failed: ${t.name}\" } else { echo ok }",
    "fn restart(id) { stop $id --force; return (wait $id) }",
    "services | select name serviceGroupName | table",
]
let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20_000 : 20_000
let signatures = Language.builtinSignatures
var complete = 0
let clock = ContinuousClock()
let elapsed = clock.measure {
    for i in 0..<count {
        if case .complete = Language.classify(Source(name: "<repl>", text: lines[i % lines.count]), commands: signatures) {
            complete += 1
        }
    }
}
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("classified \(count) lines (\(complete) complete) in \(seconds) s: \(Int(Double(count) / seconds)) lines/s")
