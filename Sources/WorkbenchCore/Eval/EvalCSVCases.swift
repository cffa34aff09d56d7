import SwiftCSV

/// Cases from CSV: the header names the variables; `__name` and `__expected` are the case's name
/// and ideal answer. CSV cannot hold assertions: they come from `--assert`. SwiftCSV parses; the
/// line of each row is counted here (quoted fields may span lines), so errors point at the row.
enum EvalCSVCases {
    static let special = ["__name", "__expected"]

    static func read(_ text: String, reader: EvalCaseReader, errors: inout [EvalFileError]) -> [EvalCase] {
        var rows: [(line: Int, fields: [String])] = []
        var line = 1
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        do {
            // rowLimit 0: the initialiser reads only the header, so a bad row throws below, where
            // the rows before it have been counted.
            let csv = try EnumeratedCSV(string: body, delimiter: .comma, loadColumns: false, rowLimit: 0)
            // `enumerateAsArray` from 0 gives the header row too, so every row's line is counted.
            try csv.enumerateAsArray(startAt: 0, rowLimit: nil) { fields in
                rows.append((line, fields))
                line += 1 + fields.reduce(0) { $0 + $1.reduce(0) { $0 + ($1.isNewline ? 1 : 0) } }
            }
        } catch {
            let message: String
            switch error as? CSVParseError {
            case .quotation(let m)?, .generic(let m)?: message = m
            case nil: message = "\(error)"
            }
            errors.append(reader.error(line, "the CSV does not parse in the row starting here: \(message)",
                                       fix: "a field with a comma, quote or line break is quoted, and a quote inside it is doubled (\"\")"))
            return []
        }
        guard let header = rows.first else { return [] }
        var columns: [String] = []
        for (i, raw) in header.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { errors.append(reader.error(header.line, "column \(i + 1) has no name", fix: "name every column in the header row")) }
            else if name.hasPrefix("__"), !special.contains(name) {
                errors.append(reader.error(header.line, "unknown special column \(name)", fix: "the special columns are __name and __expected; assertions come from --assert"))
            } else if columns.contains(name) { errors.append(reader.error(header.line, "two columns are named \(name)")) }
            columns.append(name)
        }
        guard errors.isEmpty else { return [] }
        var cases: [EvalCase] = []
        for (index, row) in rows.dropFirst().enumerated() {
            if row.fields == [""] { continue }   // a blank line
            guard row.fields.count == columns.count else {
                errors.append(reader.error(row.line, "this row has \(row.fields.count) fields, the header has \(columns.count)",
                                           fix: "quote fields that contain commas"))
                continue
            }
            var c = EvalCase(name: "case-\(index + 1)", line: row.line)
            for (name, value) in zip(columns, row.fields) {
                switch name {
                case "__name":
                    if value.trimmingCharacters(in: .whitespaces).isEmpty { errors.append(reader.error(row.line, "the __name field is empty")) }
                    else { c.name = value }
                case "__expected": c.expected = value.isEmpty ? nil : value
                default: c.vars[name] = value
                }
            }
            cases.append(c)
        }
        return cases
    }
}
