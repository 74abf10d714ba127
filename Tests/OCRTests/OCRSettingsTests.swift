import OCR
import Testing

@Suite("OCR settings")
struct OCRSettingsTests {
    @Test("the pass is off with --no-ocr or PICSEEK_OCR off, 0, no or false in any case")
    func enabled() {
        #expect(OCRSettings.isEnabled(disabled: false, environment: [:]))
        #expect(OCRSettings.isEnabled(disabled: false, environment: ["PICSEEK_OCR": "on"]))
        #expect(!OCRSettings.isEnabled(disabled: true, environment: [:]))
        for value in ["off", "0", "No", "FALSE"] {
            #expect(!OCRSettings.isEnabled(disabled: false, environment: ["PICSEEK_OCR": value]))
        }
    }

    @Test("languages: the option, else a non-empty PICSEEK_OCR_LANGUAGES, else the default")
    func languages() {
        let env = ["PICSEEK_OCR_LANGUAGES": "eng"]
        #expect(OCRSettings.languages(explicit: "deu", environment: env) == "deu")
        #expect(OCRSettings.languages(explicit: nil, environment: env) == "eng")
        #expect(
            OCRSettings.languages(explicit: nil, environment: ["PICSEEK_OCR_LANGUAGES": ""])
                == "chi_sim+eng")
        #expect(OCRSettings.languages(explicit: nil, environment: [:]) == "chi_sim+eng")
    }
}
