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

@Suite("Choosing the theme")
struct ThemeChoiceTests {
    @Test("the default comes from themes/; a theme asked for by name must exist")
    func askedAndDefault() throws {
        #expect(try Theme.choose(asked: nil, in: [themesDir]).theme.name == Theme.defaultName)
        #expect(try Theme.choose(asked: nil, in: [themesDir]).note == nil)
        #expect(try Theme.choose(asked: "light", in: [themesDir]).theme.name == "light")
        #expect(throws: Theme.LoadError.self) { try Theme.choose(asked: "nope", in: [themesDir]) }
    }

    @Test("without its themes folder (a binary copied alone), or with a damaged default: monochrome, said")
    func missingOrDamagedDefault() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-themes-\(UUID().uuidString)").path
        let missing = try Theme.choose(asked: nil, in: [empty])
        #expect(missing.theme == .monochrome)
        #expect(missing.note?.contains("no such theme") == true)
        let damaged = FileManager.default.temporaryDirectory
            .appendingPathComponent("bad-themes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: damaged, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: damaged) }
        try "text: chartreuse\n".write(toFile: damaged + "/dark.yaml", atomically: true, encoding: .utf8)
        let broken = try Theme.choose(asked: nil, in: [damaged])
        #expect(broken.theme == .monochrome)
        #expect(broken.note?.contains("bad colour") == true)
    }
}
