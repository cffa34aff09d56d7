import Foundation

/// `--modes stream,non-stream` (or either alone): which streaming modes become columns.
/// Anything else is refused with the accepted spellings, since a mistyped mode silently
/// dropped would make a two-column comparison quietly a one-column run.
public enum EvalModes {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var description: String { message }
    }

    public static func parse(_ text: String) throws(ParseError) -> [RunMode] {
        guard text.count <= 200 else {
            throw ParseError(message: "--modes: expected stream, non-stream or stream,non-stream")
        }
        var out: [RunMode] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else {
                throw ParseError(
                    message: "--modes '\(text)': an empty mode; write stream, non-stream or stream,non-stream")
            }
            guard let m = RunMode(label: name) ?? RunMode(rawValue: name) else {
                throw ParseError(message: "--modes: unknown mode '\(name)' (known: stream, non-stream)")
            }
            guard !out.contains(m) else { throw ParseError(message: "--modes: '\(m.label)' is given twice") }
            out.append(m)
        }
        return out
    }
}
