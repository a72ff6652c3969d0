import ATSJSON
import Testing

@Suite struct ListPhraseTests {
    @Test func orJoinsWithCommasAndOr() {
        #expect(ListPhrase.or([]) == "")
        #expect(ListPhrase.or(["failed"]) == "failed")
        #expect(ListPhrase.or(["failed", "completed"]) == "failed or completed")
        #expect(ListPhrase.or(["a", "b", "c"]) == "a, b or c")
    }

    @Test func countIsSingularForOneOnly() {
        #expect(ListPhrase.count(0, "statement") == "0 statements")
        #expect(ListPhrase.count(1, "statement") == "1 statement")
        #expect(ListPhrase.count(2, "more line") == "2 more lines")
    }
}
