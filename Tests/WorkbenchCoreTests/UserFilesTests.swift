import Foundation
import Testing
@testable import WorkbenchCore

/// The files the workbench keeps for the user: the unsent draft, and copies of shipped
/// templates made before editing them (issue 11, defects 3 and 14).
@Suite("User files: the draft and template copies")
struct UserFilesTests {
    @Test("the draft is saved beside the log, read back, and removed when empty")
    func draft() throws {
        let dir = tempDir()
        let path = DraftFile.path(besideLog: RunLog.path(inDataDir: dir))
        #expect(path == dir + "/draft.txt")
        #expect(DraftFile.load(path) == "")
        try DraftFile.save("line 1\n世界", to: path)
        #expect(DraftFile.load(path) == "line 1\n世界")
        try DraftFile.save("", to: path)
        #expect(!FileManager.default.fileExists(atPath: path))
        try DraftFile.save("", to: path)
    }

    @Test("a shipped template is copied (folders made, writable) and an existing copy is never overwritten")
    func copyForEditing() throws {
        let dir = tempDir()
        let shipped = dir + "/share/prompts/code/generate.md"
        try FileManager.default.createDirectory(atPath: dir + "/share/prompts/code", withIntermediateDirectories: true)
        try "---\ndescription: x\n---\nshipped\n".write(toFile: shipped, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: shipped)
        let copy = dir + "/config/glmwb/prompts/code/generate.md"
        #expect(try TemplateWriter.copyForEditing(source: shipped, to: copy))
        #expect(try String(contentsOfFile: copy, encoding: .utf8).contains("shipped"))
        #expect(FileManager.default.isWritableFile(atPath: copy))
        try "mine\n".write(toFile: copy, atomically: true, encoding: .utf8)
        #expect(try !TemplateWriter.copyForEditing(source: shipped, to: copy))
        #expect(try String(contentsOfFile: copy, encoding: .utf8) == "mine\n")
    }
}
