import Foundation

/// The built-in knowledge bases GLMSim serves the `retrieval` tool from.
///
/// On Z.AI, `tools: [{type: "retrieval", retrieval: {knowledge_id, prompt_template}}]` makes the
/// server look the question up in a knowledge base made on the open platform and answer from what
/// it found, using `prompt_template` (which must contain `{{knowledge}}` and `{{question}}`) as
/// the prompt. The documented response carries no retrieved passages, so neither does GLMSim's:
/// the reply is the grounded answer over the passages retrieved, citing their numbers.
enum SimKnowledgeBase {
    /// `glmsim-x200`: the X200 vacuum's support articles, numbered as in `qa/knowledge-base`.
    static let bases: [String: [SimGroundedAnswer.Passage]] = [
        "glmsim-x200": [
            .init(
                number: 1, text: "The X200 vacuum ships with a 24-month limited warranty covering motor and battery."),
            .init(number: 2, text: "Accessories (brushes, filters) are covered for 6 months."),
            .init(number: 3, text: "Warranty claims require proof of purchase and the unit's serial number."),
            .init(number: 4, text: "The X200 battery charges fully in 4 hours on the included dock."),
            .init(number: 5, text: "Replacement filters are sold in packs of three on the online store."),
        ]
    ]

    static let maxPassages = 3

    enum Failure: Error, Equatable {
        /// No error code for an unknown knowledge base is documented: GLMSim answers 1214
        /// (invalid parameter), the code for a field the platform rejects.
        case invalid(String)
    }

    /// The passages of `knowledgeID` that share a topic word with `question`, best first (at most
    /// three), then in the knowledge base's order so citations read [1][2].
    static func retrieve(knowledgeID: String, question: String) -> Result<[SimGroundedAnswer.Passage], Failure> {
        guard !knowledgeID.isEmpty else { return .failure(.invalid("retrieval.knowledge_id is required")) }
        guard let base = bases[knowledgeID] else {
            return .failure(.invalid("knowledge base \(knowledgeID) does not exist (GLMSim knows: glmsim-x200)"))
        }
        let q = SimWords.terms(question)
        let ranked = base.map { ($0, SimWords.overlap(q, $0.text)) }.filter { $0.1 > 0 }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.number < $1.0.number }
        return .success(ranked.prefix(maxPassages).map(\.0).sorted { $0.number < $1.number })
    }

    /// The prompt the platform builds: `{{knowledge}}` becomes the passages, one `[n] text` per
    /// line, and `{{question}}` the question (spaces inside the braces allowed, as the docs show).
    static func prompt(template: String?, passages: [SimGroundedAnswer.Passage], question: String) -> String {
        let knowledge = passages.map { "[\($0.number)] \($0.text)" }.joined(separator: "\n")
        let t =
            template
            ?? "From the document\n\"\"\"\n{{knowledge}}\n\"\"\"\nanswer the question\n\"\"\"\n{{question}}\n\"\"\""
        return t.replacingOccurrences(
            of: #"\{\{\s*knowledge\s*\}\}"#, with: NSRegularExpression.escapedTemplate(for: knowledge),
            options: .regularExpression
        )
        .replacingOccurrences(
            of: #"\{\{\s*question\s*\}\}"#, with: NSRegularExpression.escapedTemplate(for: question),
            options: .regularExpression)
    }

    /// Whether a custom template has both placeholders, as the docs require.
    static func validTemplate(_ template: String) -> Bool {
        template.range(of: #"\{\{\s*knowledge\s*\}\}"#, options: .regularExpression) != nil
            && template.range(of: #"\{\{\s*question\s*\}\}"#, options: .regularExpression) != nil
    }
}
