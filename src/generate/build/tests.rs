//! Unit tests of the generated config's deployments and settings.

use crate::model::litellm::api_base;

#[test]
fn api_bases() {
    assert_eq!(
        api_base("vllm", "http://h:8001"),
        "http://h:8001/v1".to_string()
    );
    assert_eq!(
        api_base("llama_cpp", "http://h:8080/v1/"),
        "http://h:8080/v1"
    );
    assert_eq!(api_base("ollama", "http://h:11434/"), "http://h:11434");
    assert_eq!(api_base("ollama", "http://h:11434/v1"), "http://h:11434");
    assert_eq!(
        api_base("anthropic", "https://api.anthropic.com"),
        "https://api.anthropic.com"
    );
}
