import AOClient
import ATSJSON
import ATSSupport
import Testing

@Suite struct RedactorTests {
    @Test(arguments: [
        ("Authorization", "Basic c3lzdGVtOm1hbmFnZXI=", "Basic ********"),
        ("Authorization", "HSSO 0123abcd_V0810", "HSSO ********"),
        ("authorization", "opaque", "********"),
        ("WWW-Authenticate", "HSSO a2e8ab6f_Vlo8Y30=_V0810", "HSSO ********"),
        ("WWW-Authenticate", #"Basic realm="Automation""#, #"Basic realm="Automation""#),
        ("Cookie", "JSESSIONID=1234", "********"),
        ("X-Auth-Token", "abc", "********"),
        ("Accept", "application/json", "application/json"),
    ])
    func plainHeaderValues(name: String, value: String, shown: String) {
        #expect(Redactor.display(name: name, value: .plain(value)) == shown)
    }

    @Test func secretHeaderValuesPrintTheMask() {
        #expect(Redactor.display(name: "Accept", value: .secret(Secret("anything"))) == "********")
    }

    @Test func bodyMembers() throws {
        let body = try JSONParser.parse(
            #"""
            {"password":"p1","Passwd":"p2","clientSecret":"p3","accessToken":"p4","user":"system",
             "empty":{"password":""},"none":{"password":null},
             "props":[{"type":"password","value":"p5","defaultValue":"p6"},{"type":"string","value":"visible"},
                      {"keyName":"db.password","value":"p7"},{"name":"sshPassphraseSecret","value":"p8"}],
             "nested":{"deeper":[{"token":{"a":1}}]}}
            """#)
        let text = JSONWriter.compact.string(Redactor.body(body))
        for n in 1...8 { #expect(!text.contains("\"p\(n)\""), "p\(n)") }
        #expect(text.contains(#""user":"system""#))
        #expect(text.contains(#""value":"visible""#))
        #expect(text.contains(#""empty":{"password":""}"#))
        #expect(text.contains(#""none":{"password":null}"#))
        #expect(text.contains(#""token":"********""#))
    }

    @Test func queryParameters() {
        #expect(Redactor.url("http://h/x?user=a&password=b%20c&q=1") == "http://h/x?user=a&password=********&q=1")
        #expect(Redactor.url("http://h/x?HQL::filter=status%20eq%20%27failed%27") == "http://h/x?HQL::filter=status%20eq%20%27failed%27")
    }

    @Test func secretLiteralsInStatements() {
        #expect(Redactor.statement(#"connect sim --user system --password secret("manager")"#)
            == #"connect sim --user system --password secret("********")"#)
        #expect(Redactor.statement(#"let p = secret( 'it\'s' ) ; print(p)"#) == #"let p = secret('********' ) ; print(p)"#)
        #expect(Redactor.statement("tasks --status failed") == "tasks --status failed")
        #expect(Redactor.statement(#"secret("unterminated"#) == #"secret("********""#)
    }

    /// A quote or `=` followed by a combining mark (U+0301) is one Swift `Character` that is
    /// not a quote or `=`: a secret starting with the mark stayed in clear. The redactor reads
    /// bytes (statements) and scalars (URLs), as the lexer and a server do.
    @Test func aCombiningMarkAfterTheQuoteDoesNotHideTheSecret() {
        #expect(Redactor.statement("let p = secret(\"\u{301}manager\") ; x") == #"let p = secret("********") ; x"#)
        #expect(Redactor.statement("secret('\u{301}pw') + secret(\"b\"\u{301})") == "secret('********') + secret(\"********\"\u{301})")
        #expect(Redactor.url("http://h/x?password=\u{301}pw&q=1") == "http://h/x?password=********&q=1")
        #expect(Redactor.isSecretName("password\u{301}"))
    }
}
