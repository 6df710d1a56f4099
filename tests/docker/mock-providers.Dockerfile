# The mock servers of examples/mock-providers as an image, for docker-compose.test.yml.
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --example mock-providers

FROM debian:bookworm-slim
COPY --from=build /src/target/release/examples/mock-providers /usr/local/bin/mock-providers
ENTRYPOINT ["mock-providers"]
