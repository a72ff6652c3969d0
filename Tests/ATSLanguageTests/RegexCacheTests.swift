@testable import ATSLanguage
import Testing

/// `=~` compiles each pattern once per interpreter, in a bounded cache shared by the threads
/// of `each --parallel`.
@Suite struct RegexCaching {
    @Test func theCacheIsBoundedAndGivesTheSameAnswers() {
        let cache = RegexCache(capacity: 3)
        for p in ["^a", "b$", "c+", "^a", "d"] { #expect(cache.regex(p) != nil) }
        #expect(cache.count == 3)
        #expect(cache.regex("(") == nil)
        #expect(cache.count == 3)
        #expect("abc".contains(cache.regex("^a")!))
        #expect(!"xbc".contains(cache.regex("^a")!))
    }

    @Test func matchingInALoopAndInParallel() {
        let script = """
        let names = ["backup-01", "restore-02", "backup-03", "rotate", "BACKUP"]
        let n = 0
        for i in 1..50 { for s in $names { if $s =~ "^backup-[0-9]+$" { $n += 1 } } }
        echo $n
        print ($names | each --parallel 4 { $it =~ "^(backup|restore)-" })
        try { let x = "a" =~ "(" } catch e { echo $e.message }
        """
        let run = Harness.run(script)
        #expect(run.stdout == "100\n[true,true,true,false,false]\ninvalid regular expression `(`\n")
        #expect(run.code == 0)
    }
}
