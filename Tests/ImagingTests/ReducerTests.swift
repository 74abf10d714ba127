import PicseekCore
import Testing

@testable import Imaging

@Suite("box reduction before thumbnails")
struct ReducerTests {
    @Test(
        "the reduction equals its naive twin, ragged edges included",
        arguments: [(30, 20, 3, 2), (31, 17, 4, 5), (7, 9, 7, 9), (8, 3, 3, 1), (1, 40, 1, 6)])
    func twin(sizes: (Int, Int, Int, Int)) {
        let image = TestSupport.noise(
            width: sizes.0, height: sizes.1, seed: UInt64(sizes.0 * 100 + sizes.1))
        let fast = Reducer.reduce(image, fx: sizes.2, fy: sizes.3)
        let naive = Reducer.reduceNaive(image, fx: sizes.2, fy: sizes.3)
        #expect(fast.width == (sizes.0 + sizes.2 - 1) / sizes.2)
        #expect(fast.height == (sizes.1 + sizes.3 - 1) / sizes.3)
        #expect(fast == naive)
    }

    @Test("a block's mean is rounded, and a partial last block averages what is left")
    func means() {
        // 3x1 pixels reduced by 2: (10+13)/2 = 11.5 -> 12; the last block is the 200 alone.
        let image = RGBImage(
            width: 3, height: 1, pixels: [10, 0, 255, 13, 1, 254, 200, 7, 9])
        let out = Reducer.reduce(image, fx: 2, fy: 1)
        #expect(out.width == 2 && out.height == 1)
        #expect(out.pixels == [12, 1, 255, 200, 7, 9])
    }

    @Test("factors follow Pillow's reducing gap of 2, never below 1")
    func factors() {
        #expect(Reducer.thumbnailFactors(width: 4000, height: 3000, target: (256, 192)) == (7, 7))
        #expect(Reducer.thumbnailFactors(width: 500, height: 300, target: (256, 154)) == (1, 1))
        #expect(Reducer.thumbnailFactors(width: 10000, height: 3, target: (256, 1)) == (19, 1))
    }

    @Test("a photo more than twice the thumbnail's size is box-reduced before the bicubic pass")
    func thumbnailReducesFirst() {
        let image = TestSupport.noise(width: 1200, height: 900, seed: 7)
        let thumb = ImagePipeline(thumbnailSide: 256).thumbnail(of: image)
        let reduced = Reducer.reduce(image, fx: 2, fy: 2)
        let fromReduced = thumb == Resampler.resize(reduced, width: 256, height: 192)
        let fromFull = thumb == Resampler.resize(image, width: 256, height: 192)
        #expect(fromReduced)
        #expect(!fromFull)
    }

    @Test("a large photo's thumbnail stays within a few levels of the bicubic-only one")
    func closeToBicubic() {
        let image = TestSupport.gradient(width: 2400, height: 1600)
        let thumb = ImagePipeline(thumbnailSide: 256).thumbnail(of: image)
        let bicubic = Resampler.resize(image, width: 256, height: 171)
        #expect(thumb.width == 256 && thumb.height == 171)
        let worst = zip(thumb.pixels, bicubic.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 255
        #expect(worst <= 3)
    }
}
