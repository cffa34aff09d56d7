import Foundation
import Testing
@testable import WorkbenchCore

@Suite("Template library")
struct TemplateLibraryTests {
    static func good(_ description: String, body: String = "Hello") -> String {
        "---\ndescription: \(description)\n---\n\(body)\n"
    }

    /// A shipped folder and a user folder exercising categories, overrides, broken and hidden files.
    static func makeFolders() -> (root: String, shipped: String, user: String) {
        let root = makeTempTree()
        let shipped = root + "/shipped", user = root + "/user"
        writeTempFile(shipped, "qa/one.md", good("shipped qa"))
        writeTempFile(shipped, "support/deep/two.md", good("nested"))
        writeTempFile(shipped, "top.md", good("top level"))
        writeTempFile(shipped, "shared.md", good("shipped shared"))
        writeTempFile(shipped, "over/x.md", good("shipped x"))
        writeTempFile(shipped, "broken/bad.md", "---\ndescription: d\ntemperature: 7\n---\nHi\n")
        writeTempFile(shipped, ".hidden/secret.md", good("hidden folder"))
        writeTempFile(shipped, "qa/.draft.md", good("hidden file"))
        writeTempFile(shipped, "notes.txt", "not a template")
        writeTempFile(user, "shared.md", good("user shared"))
        writeTempFile(user, "over/x.md", "---\ndescription: d\nbogus: 1\n---\nHi\n")
        writeTempFile(user, "mine/only.md", good("user only"))
        return (root, shipped, user)
    }

    @Test("names are paths without .md; categories are the folders; sorted by category then name")
    func namesAndCategories() throws {
        let (root, shipped, user) = Self.makeFolders()
        defer { removeTempTree(root) }
        let lib = TemplateLibrary.load(folders: [(shipped, .shipped), (user, .user)])
        #expect(lib.templates.map(\.name) == ["shared", "top", "mine/only", "qa/one", "support/deep/two"])
        let one = try #require(lib.template(named: "qa/one"))
        #expect(one.category == "qa")
        #expect(one.origin == .shipped)
        #expect(one.path == shipped + "/qa/one.md")
        #expect(one.description == "shipped qa")
        #expect(lib.template(named: "support/deep/two")?.category == "support/deep")
        #expect(lib.template(named: "top")?.category == "")
        #expect(lib.template(named: "mine/only")?.origin == .user)
        #expect(lib.template(named: "qa/one.md") == nil)
        #expect(lib.folders.map(\.path) == [shipped, user])
        #expect(lib.folders.map(\.origin) == [.shipped, .user])
    }

    @Test("a user file with a shipped file's name replaces it")
    func override() throws {
        let (root, shipped, user) = Self.makeFolders()
        defer { removeTempTree(root) }
        let lib = TemplateLibrary.load(folders: [(shipped, .shipped), (user, .user)])
        let shared = try #require(lib.template(named: "shared"))
        #expect(shared.origin == .user)
        #expect(shared.description == "user shared")
        #expect(shared.path == user + "/shared.md")
        #expect(lib.templates.filter { $0.name == "shared" }.count == 1)
        // In the other order the shipped one wins: the later folder overrides.
        let reversed = TemplateLibrary.load(folders: [(user, .user), (shipped, .shipped)])
        #expect(reversed.template(named: "shared")?.origin == .shipped)
    }

    @Test("broken files are reported in errors, not templates; a broken user file hides the shipped one")
    func brokenFiles() throws {
        let (root, shipped, user) = Self.makeFolders()
        defer { removeTempTree(root) }
        let lib = TemplateLibrary.load(folders: [(shipped, .shipped), (user, .user)])
        #expect(lib.errors.map(\.template) == ["broken/bad", "over/x"])
        #expect(lib.template(named: "broken/bad") == nil)
        let bad = try #require(lib.error(named: "broken/bad"))
        #expect(bad.path == shipped + "/broken/bad.md")
        #expect(bad.line == 3)
        #expect(bad.field == "temperature")
        // The user's broken override wins over the good shipped file: the user meant to replace
        // it, so the library shows their error rather than silently using the shipped version.
        #expect(lib.template(named: "over/x") == nil)
        let x = try #require(lib.error(named: "over/x"))
        #expect(x.path == user + "/over/x.md")
        #expect(x.field == "bogus")
        #expect(x.line == 3)
    }

    @Test("a good user file replaces a broken shipped one and clears its error")
    func goodOverridesBroken() throws {
        let root = makeTempTree()
        defer { removeTempTree(root) }
        writeTempFile(root + "/s", "a.md", "---\ntemperature: 9\n---\nHi\n")
        writeTempFile(root + "/u", "a.md", Self.good("fixed"))
        let lib = TemplateLibrary.load(folders: [(root + "/s", .shipped), (root + "/u", .user)])
        #expect(lib.errors.isEmpty)
        #expect(lib.template(named: "a")?.description == "fixed")
        #expect(lib.template(named: "a")?.origin == .user)
    }

    @Test("hidden folders and files and non-.md files are ignored; missing folders are skipped")
    func hidden() {
        let (root, shipped, user) = Self.makeFolders()
        defer { removeTempTree(root) }
        let lib = TemplateLibrary.load(folders: [(shipped, .shipped), (root + "/does-not-exist", .user), (user, .user)])
        let all = lib.templates.map(\.name) + lib.errors.map(\.template)
        #expect(!all.contains { $0.contains("hidden") || $0.contains("secret") || $0.contains("draft") || $0.contains("notes") })
        #expect(lib.templates.count == 5)
        #expect(TemplateLibrary.load(folders: []).templates.isEmpty)
    }

    @Test("a prompts folder that is a symlink (e.g. into a dotfiles repo) is read through the link")
    func symlinkedFolder() throws {
        let root = makeTempTree()
        defer { removeTempTree(root) }
        writeTempFile(root + "/dotfiles/prompts", "mine/linked.md", Self.good("via link"))
        try FileManager.default.createSymbolicLink(atPath: root + "/prompts", withDestinationPath: root + "/dotfiles/prompts")
        let lib = TemplateLibrary.load(folders: [(root + "/prompts", .user)])
        let t = try #require(lib.template(named: "mine/linked"))
        #expect(t.description == "via link")
        #expect(t.path == root + "/prompts/mine/linked.md", "the path the user configured, not the link's target")
        #expect(lib.errors.isEmpty)
    }

    @Test("find: by name, by a .md path outside the library, a broken one's error")
    func find() throws {
        let (root, shipped, user) = Self.makeFolders()
        defer { removeTempTree(root) }
        let lib = TemplateLibrary.load(folders: [(shipped, .shipped), (user, .user)])
        #expect(try lib.find("qa/one").description == "shipped qa")
        writeTempFile(root, "elsewhere/standalone.md", Self.good("outside"))
        let outside = try lib.find(root + "/elsewhere/standalone.md")
        #expect(outside.name == "standalone")
        #expect(outside.description == "outside")
        #expect(outside.path == root + "/elsewhere/standalone.md")
        #expect(outside.origin == .file)
        do { _ = try lib.find("over/x"); Issue.record("a broken template was found") } catch {
            #expect(error == lib.error(named: "over/x"))
        }
        // A broken file found by path reports its own error.
        writeTempFile(root, "elsewhere/broken.md", "---\ntop_p: 0\n---\nHi\n")
        do { _ = try lib.find(root + "/elsewhere/broken.md"); Issue.record("a broken file was found") } catch {
            #expect(error.template == "broken")
            #expect(error.field == "top_p")
            #expect(error.line == 2)
        }
    }

    @Test("find: an unknown name suggests close names, or the list command")
    func didYouMean() {
        let (root, shipped, user) = Self.makeFolders()
        defer { removeTempTree(root) }
        let lib = TemplateLibrary.load(folders: [(shipped, .shipped), (user, .user)])
        do { _ = try lib.find("one"); Issue.record("found") } catch {
            #expect(error.template == "one")
            #expect(error.message == "no template named one")
            #expect(error.fix == "did you mean qa/one?")
            #expect(error.path == shipped + ":" + user)
            #expect(error.description.contains("did you mean qa/one?"))
        }
        do { _ = try lib.find("ONE"); Issue.record("found") } catch {
            #expect(error.fix == "did you mean qa/one?", "case-insensitive")
        }
        do { _ = try lib.find("support/two"); Issue.record("found") } catch {
            #expect(error.fix?.contains("support/deep/two") == true, "the last path component matches")
        }
        do { _ = try lib.find("zzz"); Issue.record("found") } catch {
            #expect(error.fix == "`glmwb templates list` shows the names")
        }
        do { _ = try lib.find(root + "/missing.md"); Issue.record("found") } catch {
            #expect(error.message.contains("no template named"))
        }
    }

    @Test("loadFile on an unreadable path says so")
    func unreadable() {
        do { _ = try TemplateLibrary.loadFile(path: "/nonexistent/x.md", name: "x"); Issue.record("read") } catch {
            #expect(error.template == "x")
            #expect(error.path == "/nonexistent/x.md")
            #expect(error.message.contains("cannot read the file"))
        }
    }

    @Test("standard folders: shipped from GLMWB_HOME, the user's config folder, then GLMWB_PROMPTS")
    func standardFolders() {
        let env = ["GLMWB_HOME": "/opt/glmwb", "XDG_CONFIG_HOME": "/cfg", "GLMWB_PROMPTS": "/a::/b"]
        let f = TemplateLibrary.standardFolders(environment: env)
        #expect(f.map(\.path) == ["/opt/glmwb/prompts", "/cfg/glmwb/prompts", "/a", "/b"])
        #expect(f.map(\.origin) == [.shipped, .user, .user, .user])
        #expect(TemplateLibrary.userFolder(environment: ["HOME": "/home/u"]) == "/home/u/.config/glmwb/prompts")
        #expect(ToolsFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/cfg"]) == "/cfg/glmwb/tools.yaml")
    }

    @Test("load(environment:) reads the shipped prompts and a user override")
    func loadEnvironment() throws {
        let cfg = makeTempTree()
        defer { removeTempTree(cfg) }
        writeTempFile(cfg, "glmwb/prompts/qa/knowledge-base.md", Self.good("my own"))
        let lib = TemplateLibrary.load(environment: ["GLMWB_HOME": templateTestsProjectRoot.path, "XDG_CONFIG_HOME": cfg])
        #expect(lib.errors.isEmpty, "\(lib.errors)")
        #expect(Set(lib.templates.map(\.name)) == Set(shippedTemplateNames))
        #expect(lib.template(named: "qa/knowledge-base")?.origin == .user)
        #expect(lib.template(named: "qa/knowledge-base")?.description == "my own")
        #expect(lib.templates.filter { $0.origin == .shipped }.count == shippedTemplateNames.count - 1)
    }
}

@Suite("Shipped templates")
struct ShippedTemplateTests {
    @Test("the prompts folder is found and holds templates")
    func found() {
        #expect(FileManager.default.fileExists(atPath: shippedPromptsDir + "/qa"))
        #expect(shippedTemplateNames.count >= 6)
    }

    @Test("parses, has a description and renders with its defaults into a valid request", arguments: shippedTemplateNames)
    func rendersWithDefaults(_ name: String) throws {
        let path = shippedPromptsDir + "/" + name + ".md"
        let t = try TemplateLibrary.loadFile(path: path, name: name)
        #expect(!t.description.trimmingCharacters(in: .whitespaces).isEmpty)
        #expect(t.title?.isEmpty == false)
        #expect(!t.category.isEmpty)
        let r = try TemplateRenderer.render(t)
        #expect(!r.user.isEmpty)
        #expect(!r.user.contains("{{") && !(r.system ?? "").contains("{{"), "every placeholder filled")
        let req = r.request(defaultModel: "glm-4-flash")
        #expect(req.validationErrors().isEmpty, "\(req.validationErrors())")
        #expect(req.messages.last?.role == .user)
        #expect(req.messages.last?.content == r.user)
        // Every variable with choices defaults to one of them, and each choice renders.
        for v in t.variables {
            for c in v.choices ?? [] {
                #expect(throws: Never.self) { try TemplateRenderer.render(t, values: [v.name: c]) }
            }
        }
    }

    @Test("every category is shipped; finance and support use JSON mode; the tools one has a fixed-result function")
    func categories() throws {
        let lib = TemplateLibrary.load(folders: [(shippedPromptsDir, .shipped)])
        #expect(lib.errors.isEmpty, "\(lib.errors)")
        let categories = Set(lib.templates.map(\.category))
        for c in ["qa", "support", "finance", "code", "hr", "tools"] {
            #expect(categories.contains(c), "no template in \(c)")
        }
        for c in ["finance", "support"] {
            let ts = lib.templates.filter { $0.category == c }
            #expect(!ts.isEmpty)
            for t in ts {
                #expect(t.jsonMode, "\(t.name)")
                let req = try TemplateRenderer.render(t).request(defaultModel: "m")
                #expect(req.responseFormat == .jsonObject, "\(t.name)")
            }
        }
        let toolTemplates = lib.templates.filter { $0.category == "tools" }
        #expect(!toolTemplates.isEmpty)
        for t in toolTemplates {
            let r = try TemplateRenderer.render(t)
            let fixed = r.tools.filter {
                if case .fixed = $0.executor { return $0.spec.type == "function" }
                return false
            }
            #expect(!fixed.isEmpty, "\(t.name) has no function tool with a static result")
            #expect(r.request(defaultModel: "m").tools?.contains { $0.type == "function" } == true)
        }
    }
}
