import Foundation
import WorkbenchCore
import WorkbenchUI

/// The template library and the tools file as the workbench sees them: read at start, read
/// again whenever the watcher sees a change (so an open form follows its file), and written
/// when the user saves a template.
@MainActor
final class TemplateFiles {
    private let emit: (AppEvent) -> Void
    private var watcher: FileWatcher?
    private let environment = ProcessInfo.processInfo.environment

    init(emit: @escaping (AppEvent) -> Void) { self.emit = emit }

    func load() {
        let library = TemplateLibrary.load(environment: environment)
        let toolsPath = ToolsFile.defaultPath(environment: environment)
        do {
            emit(.toolsLoaded(try ToolsFile.load(path: toolsPath)))
        } catch {
            emit(.toolsLoaded([]))
            emit(.status("tools file: \(error)"))
        }
        emit(.templatesLoaded(library.templates, errors: library.errors))
        if watcher == nil {
            let w = FileWatcher(folders: library.folders.map(\.path), files: [toolsPath])
            w.start { [weak self] in self?.load() }
            watcher = w
        }
    }

    func save(name: String, text: String) {
        let folder = TemplateLibrary.userFolder(environment: environment)
        do {
            let path = try TemplateWriter.save(name: name, folder: folder, text: text)
            load()
            emit(.status("saved template \(name) to \(path) (e in its form edits it)"))
        } catch {
            emit(.status("not saved: \(error)"))
        }
    }

    /// A shipped template is copied to the user's folder before editing (never edited in place);
    /// the path to open, or nil when the copy failed (the status says why).
    func copyForEditing(source: String, copy: String) -> String? {
        do {
            if !(try TemplateWriter.copyForEditing(source: source, to: copy)) {
                emit(.status("editing your copy \(copy) (it overrides the shipped one)"))
            }
            return copy
        } catch {
            emit(.status("not edited: cannot copy \(source) to \(copy): \(error.localizedDescription)"))
            return nil
        }
    }

    func stop() { watcher?.stop() }
}
