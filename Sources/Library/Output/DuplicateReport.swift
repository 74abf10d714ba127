import PicseekCore
import Store

/// The text of `picseek duplicates`: the vectors to compare, the groups and the summary.
public enum DuplicateReport {
    /// The index's vectors of the model `identity` names.
    ///
    /// Throws `DuplicatesError` when the index holds none, or holds vectors of other weights
    /// under that name.
    public static func vectors(in store: any PhotoIndex, of identity: EmbedderIdentity) throws
        -> VectorSet
    {
        guard let record = try store.model(named: identity.name) else {
            throw DuplicatesError(
                "the index holds no vectors of model \(TerminalSafe.escape(identity.name)); "
                    + "run picseek index with it first")
        }
        guard record.fingerprint == identity.fingerprint else {
            throw DuplicatesError(
                "the index's vectors of \(TerminalSafe.escape(identity.name)) come from other "
                    + "weights (\(record.fingerprint)) than the installed ones "
                    + "(\(identity.fingerprint)); reindex")
        }
        return try store.loadVectors(model: record)
    }

    /// One JSON line per group (`json`), or per group a count line and its paths, groups
    /// separated by an empty line.
    public static func lines(groups: [[Int]], in set: VectorSet, json: Bool) -> [String] {
        var lines: [String] = []
        for (number, rows) in groups.enumerated() {
            if json {
                let photos = rows.map {
                    "{\"id\":\(set.ids[$0])," + HitFormatter.pathFields(set.paths[$0]) + "}"
                }
                lines.append("{\"photos\":[" + photos.joined(separator: ",") + "]}")
            } else {
                if number > 0 { lines.append("") }
                lines.append("\(rows.count) photos:")
                for row in rows { lines.append("  " + RawPath.display(set.paths[row])) }
            }
        }
        return lines
    }

    /// `2 groups, 5 photos, among 40 compared at cosine ≥ 0.95`.
    public static func summary(groups: [[Int]], compared: Int, threshold: Float) -> String {
        let photos = groups.reduce(0) { $0 + $1.count }
        return "\(groups.count) group\(groups.count == 1 ? "" : "s"), \(photos) photos, "
            + "among \(compared) compared at cosine ≥ \(threshold)"
    }
}

/// Why `picseek duplicates` cannot compare: the message, already escaped.
public struct DuplicatesError: Error, Equatable, CustomStringConvertible {
    /// The message.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
