/// A thinking model's reasoning as `glmwb run` writes it to stderr.
///
/// On a terminal it is dimmed (SGR 2), so the eye can tell thinking from the answer printed
/// after it, and every piece closes its own dimming (SGR 22): a run cut off mid-thought never
/// leaves the user's terminal dim. The reasoning is server text, so on a terminal it first goes
/// through `TerminalText.visible` — the SGR codes around it are the only escapes written.
/// Anywhere else (a pipe, a file) it is passed on byte for byte, with no escapes added.
public enum ThinkingText {
    static let dim = "\u{1B}[2m"
    static let undim = "\u{1B}[22m"

    /// `text` ready for stderr. `raw` is `--raw`: control characters are kept as sent, still dimmed.
    public static func forStderr(_ text: String, terminal: Bool, raw: Bool = false) -> String {
        guard terminal, !text.isEmpty else { return text }
        return dim + (raw ? text : TerminalText.visible(text)) + undim
    }
}
