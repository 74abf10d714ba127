# picseek: the two commands the README promises, plus their parts.
#   make run    install what is missing, build release, run picseek's main job
#   make test   install what is missing, run the whole test suite
.PHONY: run test deps build bench clean

deps:
	@scripts/install-deps

build: deps
	swift build -c release --product picseek

run: build
	scripts/quickstart

test: deps
	swift build --build-tests
	swift test --skip-build

bench: build
	.build/release/picseek bench all

clean:
	rm -rf .build
