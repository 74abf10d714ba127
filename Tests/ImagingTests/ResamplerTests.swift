import PicseekCore
import Testing

@testable import Imaging

@Suite("PIL bicubic resampler")
struct ResamplerTests {
    @Test(
        "the optimised resize equals its naive twin",
        arguments: [
            (31, 17, 11, 29), (64, 48, 224, 224), (300, 200, 224, 224), (200, 300, 224, 224),
            (5, 3, 224, 373), (750, 500, 336, 224), (40, 40, 21, 2), (40, 40, 39, 2),
            (13, 57, 13, 20),
            (57, 13, 20, 13),
        ])
    func twin(sizes: (Int, Int, Int, Int)) {
        let image = TestSupport.noise(
            width: sizes.0, height: sizes.1, seed: UInt64(sizes.0 * 1000 + sizes.1))
        let fast = Resampler.resize(image, width: sizes.2, height: sizes.3)
        let naive = Resampler.resizeNaive(image, width: sizes.2, height: sizes.3)
        #expect(fast.width == sizes.2 && fast.height == sizes.3)
        #expect(fast == naive)
    }

    @Test(
        "resizing straight to a crop equals resizing fully, then cropping",
        arguments: [
            (31, 17, 50, 29, 7, 3, 30, 20), (300, 200, 336, 224, 56, 0, 224, 224),
            (200, 300, 224, 336, 0, 56, 224, 224),
            (40, 40, 22, 2, 5, 1, 10, 1), (64, 48, 64, 96, 0, 10, 64, 40),
            (64, 48, 96, 48, 20, 5, 30, 40),
        ])
    func cropped(c: (Int, Int, Int, Int, Int, Int, Int, Int)) {
        let image = TestSupport.noise(width: c.0, height: c.1, seed: UInt64(c.2 * 7 + c.3))
        let cols = c.4..<c.4 + c.6, rows = c.5..<c.5 + c.7
        let direct = Resampler.resize(image, width: c.2, height: c.3, columns: cols, rows: rows)
        let full = Resampler.resizeNaive(image, width: c.2, height: c.3)
        #expect(direct == Resampler.crop(full, columns: cols, rows: rows))
    }

    @Test("a photo of extreme aspect ratio is preprocessed without a huge intermediate")
    func extremeAspect() {
        // Shortest side 1 -> the full resize would be 224 x 22,400,000 pixels.
        let strip = TestSupport.noise(width: 1, height: 100_000, seed: 5)
        let spec = PreprocessSpec(
            size: 224, mode: .shortestSideCenterCrop, mean: [0, 0, 0], std: [1, 1, 1])
        let input = Preprocessor.modelInput(strip, spec: spec)
        #expect(input.count == 3 * 224 * 224)
    }

    @Test(
        "PIL's pass order: vertical first only when the height loses over twice the width's pixels")
    func passOrder() {
        #expect(Resampler.verticalFirst(from: 40, 40, to: 22, 2))
        #expect(!Resampler.verticalFirst(from: 40, 40, to: 21, 2))
        #expect(Resampler.verticalFirst(from: 30, 50, to: 40, 35))
        #expect(!Resampler.verticalFirst(from: 30, 30, to: 90, 31))
        #expect(!Resampler.verticalFirst(from: 58, 26, to: 48, 6))
    }

    @Test("a flat image stays flat and the same size is returned unchanged")
    func flat() {
        let grey = RGBImage(
            width: 50, height: 30, pixels: [UInt8](repeating: 77, count: 50 * 30 * 3))
        let out = Resampler.resize(grey, width: 7, height: 9)
        #expect(out.pixels.allSatisfy { $0 == 77 })
        #expect(Resampler.resize(grey, width: 50, height: 30) == grey)
    }

    @Test("coefficients of each window sum to one in fixed point, within rounding")
    func coefficients() {
        for (i, o) in [(6000, 224), (224, 6000), (3, 224), (500, 499)] {
            let axis = ResampleAxis(inSize: i, outSize: o)
            for xx in [0, o / 2, o - 1] {
                let sum = (0..<axis.count[xx]).reduce(0) {
                    $0 + Int(axis.weights[xx * axis.ksize + $1])
                }
                #expect(abs(sum - (1 << 22)) <= axis.count[xx])
            }
        }
    }
}

@Suite("Preprocessing geometry")
struct PreprocessorTests {
    let crop = PreprocessSpec(
        size: 224, mode: .shortestSideCenterCrop, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5])

    @Test("shortest side resize truncates like torchvision")
    func target() {
        #expect(Preprocessor.resizeTarget(width: 6000, height: 4000, spec: crop) == (336, 224))
        #expect(Preprocessor.resizeTarget(width: 299, height: 200, spec: crop) == (334, 224))
        #expect(Preprocessor.resizeTarget(width: 3, height: 5, spec: crop) == (224, 373))
        var squash = crop
        squash.mode = .squash
        #expect(Preprocessor.resizeTarget(width: 3, height: 5, spec: squash) == (224, 224))
    }

    @Test("centre crop offset rounds half to even like Python's round")
    func cropOffset() {
        #expect(Preprocessor.cropOffset(length: 336, crop: 224) == 56)
        #expect(Preprocessor.cropOffset(length: 299, crop: 224) == 38) // 37.5 -> 38
        #expect(Preprocessor.cropOffset(length: 301, crop: 224) == 38) // 38.5 -> 38
        #expect(Preprocessor.cropOffset(length: 224, crop: 224) == 0)
    }

    @Test("normalisation is (v/255 - mean)/std, planar")
    func normalise() {
        let img = RGBImage(width: 1, height: 1, pixels: [255, 0, 51])
        let spec = PreprocessSpec(
            size: 1, mode: .squash, mean: [0.5, 0.5, 0.2], std: [0.5, 0.25, 0.1])
        let out = Preprocessor.normalize(img, spec: spec)
        #expect(abs(out[0] - 1.0) < 1e-6 && abs(out[1] + 2.0) < 1e-6 && abs(out[2] - 0.0) < 1e-6)
    }

    @Test("thumbnails keep the aspect, cap the longest side and never upscale")
    func thumbnails() {
        #expect(Preprocessor.thumbnailSize(width: 6000, height: 4000, side: 256) == (256, 171))
        #expect(Preprocessor.thumbnailSize(width: 4000, height: 6000, side: 256) == (171, 256))
        #expect(Preprocessor.thumbnailSize(width: 100, height: 40, side: 256) == (100, 40))
        #expect(Preprocessor.thumbnailSize(width: 10000, height: 3, side: 256) == (256, 1))
    }

    @Test("the DCT scale follows PIL's draft rule on twice the target")
    func draft() {
        let p = ImagePipeline()
        var squash = crop
        squash.mode = .squash
        #expect(p.draftScale(width: 6000, height: 4000, orientation: 1, spec: squash) == 8)
        #expect(p.draftScale(width: 1600, height: 1200, orientation: 1, spec: squash) == 2)
        #expect(p.draftScale(width: 1200, height: 800, orientation: 1, spec: squash) == 1)
        #expect(p.draftScale(width: 4000, height: 3000, orientation: 6, spec: crop) == 4)
        #expect(ImagePipeline(exact: true).exact)
        #expect(ImagePipeline.draftScale(width: 896, height: 5000, request: (448, 448)) == 2)
    }
}
