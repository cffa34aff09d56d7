import Testing
import WorkbenchCore
@testable import WorkbenchUI

/// Themes read YAML the way every glmwb file does; a hostile theme is refused, fast and clearly.
@Suite("Theme YAML")
struct ThemeYAMLTests {
    @Test("an alias bomb in a theme is refused with the file and line")
    func bomb() {
        var lines = ["l0: &l0 [red, red, red, red, red, red, red, red, red]"]
        for i in 1...9 { lines.append("l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 9).joined(separator: ", ") + "]") }
        do { _ = try Theme.parse(lines.joined(separator: "\n"), file: "/x/bomb.yaml"); Issue.record("accepted") }
        catch {
            #expect("\(error)".hasPrefix("/x/bomb.yaml:6: "), "\(error)")
            #expect("\(error)".contains("expands to more than \(YAMLDocument.maxNodes) nodes"), "\(error)")
        }
    }
}
