import Foundation
import PicseekCore

extension ThemeLoader {
    /// The theme names the explorer can load and where they are, for `picseek status`:
    /// `dark, light in FOLDER; mine in FOLDER`, escaped, in `searchFolders` order.
    ///
    /// A name already found in an earlier folder is not repeated (the earlier file wins);
    /// folders with no new `.theme` file are left out. Without any: "none found (the
    /// built-in default is used)".
    public static func installedSummary(environment: [String: String]) -> String {
        var seen: [String] = []
        var places: [String] = []
        for folder in searchFolders(environment: environment) {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            let names = files.filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(6)) }
                .filter { !seen.contains($0) }.sorted()
            guard !names.isEmpty else { continue }
            seen += names
            places.append(
                names.map(TerminalSafe.escape).joined(separator: ", ") + " in "
                    + TerminalSafe.escape(folder))
        }
        return places.isEmpty
            ? "none found (the built-in default is used)" : places.joined(separator: "; ")
    }
}
