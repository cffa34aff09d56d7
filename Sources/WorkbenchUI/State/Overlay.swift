import Foundation
import WorkbenchCore

public enum Overlay: Sendable, Equatable {
    case help
    case palette(PaletteState)
    case parameters(ParameterForm)
    case picker(PickerState)
    case template(TemplateForm)
    case textPrompt(TextPrompt)
    case toolQuestion(ToolQuestion)
    case compare(CompareState)
}
