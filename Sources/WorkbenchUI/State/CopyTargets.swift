import WorkbenchCore

/// What can be copied from the conversation: each message, and each fenced code block in it
/// (without its fences), listed for the copy picker.
enum CopyTargets {
    static func items(_ turns: [Turn]) -> [(id: String, label: String)] {
        var out: [(id: String, label: String)] = []
        for (i, t) in turns.enumerated() where t.kind != .note && !t.text.isEmpty {
            let who = t.kind == .user ? "you" : "assistant"
            let first = t.text.split(separator: "\n").first.map(String.init) ?? ""
            out.append((id: "m\(i)", label: "#\(i + 1) \(who): " + (first.count > 60 ? String(first.prefix(60)) + "…" : first)))
            for (k, block) in codeBlocks(t.text).enumerated() {
                let lines = block.code.split(separator: "\n", omittingEmptySubsequences: false).count
                out.append((id: "c\(i).\(k)", label: "#\(i + 1)   code block \(k + 1)" + (block.language.isEmpty ? "" : " (\(block.language))") + ", \(lines) line\(lines == 1 ? "" : "s")"))
            }
        }
        return out
    }

    static func text(_ id: String, in turns: [Turn]) -> String? {
        if id.hasPrefix("m"), let i = Int(id.dropFirst()), turns.indices.contains(i) { return turns[i].text }
        let parts = id.dropFirst().split(separator: ".")
        guard id.hasPrefix("c"), parts.count == 2, let i = Int(parts[0]), let k = Int(parts[1]), turns.indices.contains(i) else { return nil }
        let blocks = codeBlocks(turns[i].text)
        return blocks.indices.contains(k) ? blocks[k].code : nil
    }

    /// Fenced blocks (``` or ~~~), with the language from the opening fence.
    static func codeBlocks(_ text: String) -> [(language: String, code: String)] {
        var out: [(String, String)] = []
        var fence: String?
        var language = ""
        var body: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let f = fence {
                if trimmed.hasPrefix(f) && trimmed.drop(while: { $0 == f.first }).trimmingCharacters(in: .whitespaces).isEmpty {
                    out.append((language, body.joined(separator: "\n")))
                    fence = nil
                    body = []
                } else {
                    body.append(line)
                }
            } else if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                let ch = trimmed.first!
                let marks = trimmed.prefix { $0 == ch }
                fence = String(marks)
                language = String(trimmed.dropFirst(marks.count)).trimmingCharacters(in: .whitespaces)
            }
        }
        return out
    }
}
