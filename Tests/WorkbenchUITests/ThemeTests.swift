import Foundation
import Testing
@testable import WorkbenchUI

let themesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes").path

@Suite("Themes")
struct ThemeTests {
    @Test("the four shipped themes load", arguments: ["dark", "light", "high-contrast", "monochrome"])
    func shipped(_ name: String) throws {
        let t = try Theme.find(name, in: [themesDir])
        #expect(t.name == name)
        if name != "monochrome" { #expect(t.roles.count == Role.allCases.count, "every role has a colour") }
    }

    @Test("colours: indexes, names, #rrggbb, default; 256 degrades to the nearest of 8")
    func colours() {
        #expect(TermColor.parse(75) == .index(75))
        #expect(TermColor.parse("bright-blue") == .index(12))
        #expect(TermColor.parse("#ff0000") == .index(196))
        #expect(TermColor.parse("default") == .default)
        #expect(TermColor.parse("chartreuse") == nil)
        #expect(TermColor.index(196).basic8 == 1)
        #expect(TermColor.index(12).basic8 == 4)
        #expect(TermColor.index(255).basic8 == 7)
    }

    @Test("a broken theme names the file and the problem")
    func errors() {
        #expect(throws: Theme.LoadError.self) { try Theme.parse("txet: red", file: "t.yaml") }
        do { _ = try Theme.parse("text: chartreuse", file: "t.yaml") } catch { #expect("\(error)".contains("t.yaml: text: bad colour")) }
        #expect(throws: Theme.LoadError.self) { try Theme.find("nope", in: [themesDir]) }
    }
}
