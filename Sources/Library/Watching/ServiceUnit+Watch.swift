extension ServiceUnit {
    /// Writes the unit of `picseek watch` with these options for the user's systemd
    /// instance and returns the lines that say where it is and how to start it.
    ///
    /// The unit goes to `folder(environment:)`; `executable` is the running picseek
    /// (`executablePath()`); `database` gives the index path, asked for only once both are
    /// known; the other values are `watchArguments`'. Throws `ServiceInstallError` when there
    /// is no folder or no executable, then the errors of `database`, `watchArguments` and
    /// `install`.
    public static func installWatch(
        environment: [String: String], executable: String?, database: () throws -> String,
        model: String?, exclude: [String], includeHidden: Bool, rescanMinutes: Double,
        imagePrecision: String?, folders: [String], ocr: [String] = []
    ) throws -> [String] {
        guard let folder = folder(environment: environment) else {
            throw ServiceInstallError.noFolder
        }
        guard let executable else { throw ServiceInstallError.noExecutable }
        let arguments = try watchArguments(
            executable: executable, database: database(), model: model, exclude: exclude,
            includeHidden: includeHidden, rescanMinutes: rescanMinutes,
            imagePrecision: imagePrecision, folders: folders, ocr: ocr)
        return instructions(path: try install(arguments: arguments, folder: folder))
    }
}

/// Why `picseek watch --install-service` has nowhere to write or nothing to run.
public enum ServiceInstallError: Error, Equatable, CustomStringConvertible {
    /// Neither `HOME` nor an absolute `XDG_CONFIG_HOME` is set.
    case noFolder
    /// The running executable's path cannot be read.
    case noExecutable

    /// The message, naming what to set or what is missing.
    public var description: String {
        switch self {
        case .noFolder: return "no place for the unit: set HOME or XDG_CONFIG_HOME"
        case .noExecutable: return "cannot find the picseek executable (/proc/self/exe)"
        }
    }
}
