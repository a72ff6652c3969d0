import Testing
@testable import ATSShell

@Suite struct ProfileTests {
    @Test func parsesProfiles() throws {
        let text = """
            [profiles.prod]
            url = "https://aohost:22016"
            user = "ops"
            password_env = "AO_PROD_PASSWORD"
            insecure = false
            cacert = "/etc/ats/ca.pem"
            lang = "ja"

            [profiles.lab]
            url = "http://lab:22015"
            user = "system"
            password_command = "pass show ao/lab"
            insecure = true
            """
        let file = try ProfileFile.parse(text, path: "config.toml")
        #expect(file.profiles.count == 2)
        let prod = try file.profile("prod", path: "config.toml")
        #expect(prod == Profile(url: "https://aohost:22016", user: "ops", passwordEnv: "AO_PROD_PASSWORD", insecure: false,
                                cacert: "/etc/ats/ca.pem", lang: "ja"))
        #expect(try file.profile("lab", path: "config.toml").passwordCommand == "pass show ao/lab")
    }

    @Test func unknownProfile() throws {
        let file = try ProfileFile.parse("[profiles.a]\nurl = \"http://x:1\"\n", path: "c.toml")
        #expect(throws: ShellError.unknownProfile("b", path: "c.toml")) { try file.profile("b", path: "c.toml") }
    }

    @Test func badFileNamesTheLine() {
        do {
            _ = try ProfileFile.parse("[profiles.a\nurl = 1", path: "c.toml")
            Issue.record("expected an error")
        } catch {
            guard case .badConfig(let path, let detail) = error else { Issue.record("\(error)"); return }
            #expect(path == "c.toml")
            #expect(detail.contains("line"))
        }
    }

    @Test func defaultPathFollowsXDG() {
        #expect(ProfileFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/ats/config.toml")
        #expect(ProfileFile.defaultPath(environment: ["HOME": "/h"]) == "/h/.config/ats/config.toml")
    }
}
