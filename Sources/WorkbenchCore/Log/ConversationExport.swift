import Foundation

/// The three files the workbench's export writes for a conversation (the same contents as
/// `glmwb logs export`): `glmwb-ID.md`, `glmwb-ID.jsonl` and the replay script `glmwb-ID.sh`
/// (executable).
public enum ConversationExport {
    /// The files' common path without extension, in `folder`.
    public static func basePath(folder: String, conversationId: String) -> String {
        (folder as NSString).appendingPathComponent("glmwb-" + conversationId)
    }

    /// The replay script: each request as sent (extra headers included), keys read from the
    /// environment.
    public static func script(_ runs: [RunRecord], conversationId: String, config: WorkbenchConfig) -> String {
        RunExport.curlScript(runs, title: "Each request of conversation \(conversationId)", config: config)
    }

    /// Writes the three files and returns their base path.
    @discardableResult
    public static func write(_ runs: [RunRecord], conversationId: String, folder: String, config: WorkbenchConfig) throws -> String {
        let base = basePath(folder: folder, conversationId: conversationId)
        try RunExport.markdown(runs).write(toFile: base + ".md", atomically: true, encoding: .utf8)
        try RunExport.jsonl(runs).write(toFile: base + ".jsonl", atomically: true, encoding: .utf8)
        try RunExport.writeScript(script(runs, conversationId: conversationId, config: config), to: base + ".sh")
        return base
    }
}
