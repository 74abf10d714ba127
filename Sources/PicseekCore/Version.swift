/// The picseek release this build reports with `--version`.
public let picseekVersion = "0.1.0"
