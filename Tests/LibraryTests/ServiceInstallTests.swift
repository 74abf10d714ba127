import Foundation
import Library
import PicseekTestSupport
import Testing

@Suite("picseek watch --install-service writes the unit where systemd looks, or says why not")
struct ServiceInstallTests {
    private func install(
        environment: [String: String], executable: String? = "/bin/picseek",
        database: @escaping () throws -> String = { "/d/index.sqlite" }
    ) throws -> [String] {
        try ServiceUnit.installWatch(
            environment: environment, executable: executable, database: database, model: "m",
            exclude: [], includeHidden: false, rescanMinutes: 10, imagePrecision: nil,
            folders: [])
    }

    @Test("the unit goes under XDG_CONFIG_HOME with the options, and the lines name it")
    func writes() throws {
        let config = FileManager.default.temporaryDirectory.path + "/picseek-unit-\(UUID())"
        defer { try? FileManager.default.removeItem(atPath: config) }
        let lines = try install(environment: ["XDG_CONFIG_HOME": config])
        let path = config + "/systemd/user/picseek-watch.service"
        #expect(lines == ServiceUnit.instructions(path: path))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("/bin/picseek"))
        #expect(text.contains("--model"))
        #expect(text.contains("/d/index.sqlite"))
    }

    @Test("without HOME or XDG_CONFIG_HOME nothing is written and the database is not asked")
    func noFolder() {
        var asked = false
        #expect(throws: ServiceInstallError.noFolder) {
            try install(environment: [:]) {
                asked = true
                return "/d/i"
            }
        }
        #expect(!asked)
        #expect(
            ServiceInstallError.noFolder.description
                == "no place for the unit: set HOME or XDG_CONFIG_HOME")
    }

    @Test("without the executable's path nothing is written")
    func noExecutable() {
        #expect(throws: ServiceInstallError.noExecutable) {
            try install(environment: ["HOME": "/nonexistent-home"], executable: nil)
        }
    }
}
