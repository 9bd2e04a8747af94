//! Made-up secrets with the right prefixes, lengths and alphabets, none of them a real
//! credential. Each is assembled with `concat!` from pieces so that this source file never
//! holds a string that a secret scanner (or this module, run on its own diff) would flag.

pub(super) const AWS_ACCESS_KEY_1: &str = concat!("AK", "IA", "USF2TDXB3ZUSPNSJ");
pub(super) const AWS_ACCESS_KEY_2: &str = concat!("AS", "IA", "AQSJ4EPPKBJX2DVO");
pub(super) const AWS_ACCESS_KEY_3: &str = concat!("AK", "IA", "3IKTZE7VM7ACZXSA");
pub(super) const AWS_SECRET_KEY_1: &str = concat!("wlgQAumUOAHFrZKszseH", "28rHEzcpszEV3ZtFotr5");
pub(super) const AWS_SECRET_KEY_2: &str = concat!("9CcPIBZRaASClUl3/tQL", "NwWVBDr4xlUGmZUIaqsM");
pub(super) const GOOGLE_API_KEY_1: &str =
    concat!("AI", "za", "CnFIAqDvkauygMfxeOf174d7INvyXpVCHhz");
pub(super) const GOOGLE_API_KEY_2: &str =
    concat!("AI", "za", "_PwTn9zMaDsDMg9TU206e5q6cPHDNZ7YPMs");
pub(super) const GOOGLE_OAUTH_SECRET: &str = concat!("GOC", "SPX-", "zoTONwskrtXVB15X07Gt-TFq5EGq");
pub(super) const GOOGLE_OAUTH_TOKEN: &str = concat!(
    "ya",
    "29.",
    "vGIihse0i_9wvA9QTpGJh_bQPhUsulcUUN1wz3phyYhq7hggYBLBAm5P1j7Egfc96p3tLjd__uBLpZi1bykTKW"
);
pub(super) const AZURE_STORAGE_KEY: &str = concat!(
    "H7LPQZk9v12FkuBbZxZt4TP96sMHd33ZX0SdMeRJFHmLIvRtv0d1pAg2",
    "qfFnc3QLCVBln+ndXd2JPi689/Tf+l=="
);
pub(super) const AZURE_CLIENT_SECRET: &str =
    concat!("Lk2", "8Q", "~", "WzHg0H60LzziQ6eyzqGabonjjpImqHycLa");
pub(super) const AZURE_OPENAI_KEY: &str = concat!("4ccd7cf92122c3f5", "7e661b24154d76d9");
pub(super) const GITHUB_CLASSIC: &str = concat!("gh", "p_", "OJdRnGQnaWsEPcjiUJgE2cEUY1wDGXLJkCOh");
pub(super) const GITHUB_OAUTH: &str = concat!("gh", "o_", "8GGepV1a3QvvJcLufQex3Qnk8xfwWgSNhlUV");
pub(super) const GITHUB_SERVER: &str = concat!("gh", "s_", "VBD3UuNDnK1P9cXZczkbtE5WU70ka5hAnC3Q");
pub(super) const GITHUB_FINE_GRAINED: &str = concat!(
    "github",
    "_pat_",
    "11",
    "bMWZc7bs6xkOE0ZORfGJBn_R70O0ujDWIx7FKV5tFkutqZAZqUEYmDitDbMz1LKWiXHEbAq3jzYkuDoO1N"
);
pub(super) const GITLAB_PERSONAL: &str = concat!("gl", "pat-", "BXYtuN30ItjcV9ShzkBZ");
pub(super) const GITLAB_DEPLOY: &str = concat!("gl", "dt-", "3G3BT1WGcditSHvAIpdv");
pub(super) const GITLAB_RUNNER: &str = concat!("gl", "rt-", "0DHzk7cyN06cGKw6GoJQ");
pub(super) const SLACK_BOT: &str =
    concat!("xo", "xb-", "4647693464261-4647693464262-", "tiF41HjPIU3ze9TXHLu732Hq");
pub(super) const SLACK_APP: &str = concat!(
    "xa",
    "pp-",
    "1-A04QK7Z2L3M-4647693464261-",
    "98856f28fa119644c6e2a87a5913b8e1715999b3dc9c39b2183beb2ab6c9e7a2"
);
pub(super) const SLACK_WEBHOOK_PATH: &str =
    concat!("T4Y96A8E3BU/", "BO33OW95YKI/", "xY4zPhs7WY7kPqhbnY5n7Zlz");
pub(super) const STRIPE_LIVE: &str = concat!("sk", "_live_", "ngXNIslKgG6AhZ1z1oHStiqC");
pub(super) const STRIPE_TEST: &str = concat!("sk", "_test_", "dYdF4gHQauvdsTUqcUnfnb1R");
pub(super) const STRIPE_RESTRICTED: &str = concat!(
    "rk",
    "_live_",
    "gcRFBJl6oNHmY0yhsWX9Ruv7GtVSsFloWjq4AsE38DXYdlurJCFKn5afeia8Mb7vhR8h43KVFvT6FOTKH5Efz98"
);
pub(super) const STRIPE_WEBHOOK: &str = concat!("wh", "sec_", "zg8EVz3A0GIer4dhJniP3YuQVBmZYsaz");
pub(super) const OPENAI_PROJECT: &str = concat!(
    "sk",
    "-proj-",
    "iky9dUqJWd4qnxQFgPJFE7oO9PShx1RQEWGjK7gRz940jZAiGAsvjnInUVign4BHS_PLokUlQQbBFK1NzZQEn_",
    "Bl8nJLzbS2_h5dyAeGUWK48L5EDJvQvfO522Hi9FdldJETLx09z7O_G-dHXg-g4L5SoGWT"
);
pub(super) const OPENAI_LEGACY: &str =
    concat!("sk", "-", "UG5yx3xaYeTKarag5QM744ZQey2QpEQjgl75dD4bUhEmlBuN");
pub(super) const OPENAI_SERVICE_ACCOUNT: &str = concat!(
    "sk",
    "-svcacct-",
    "NmsMJoIhnBpuxaByBNZ0gQLUwOj5P4Yp2102kC_KHvU4OmZ1pk13yg6jytXfm1PUNaWforvAF2xV8hzJDe_jw"
);
pub(super) const ANTHROPIC_1: &str =
    concat!(
    "sk", "-ant-", "api03-",
    "659zvCIjVj9GlJzfGyyXXr0BbqgFSpfgkoFqiebZwuqMXQOl0dp8MSW7FvTeDGRWM0nt-VOS67jnF37vRDQnHpx-AA"
);
pub(super) const ANTHROPIC_2: &str = concat!(
    "sk",
    "-ant-",
    "api03-",
    "xVKrwKnlEtvHGoRljl0T2J4zPgWzUvsH3OUIKkffgjoXG9lattHpSzLAZ-KMQdkoHlhjtavMBTrVVaYmefo-AA"
);
pub(super) const GROQ: &str =
    concat!("gs", "k_", "As0Cb9TBrFoZIGPJyKbiWmqVb7scMFK5Ccrmg3lELnbWfRSaCv6h");
pub(super) const XAI: &str = concat!(
    "xa",
    "i-",
    "uzL7h8CP6IVKmatAnT1KMu1HxoBQlDtaWkzU5QosBdzDAcaSJ6xjVeZ1Ia4VLPjAAZ2zosOBq4EAzzZN"
);
pub(super) const PERPLEXITY: &str =
    concat!("pp", "lx-", "NTVbl3iUtvkOXobaCD4vLqwkFonHkDQVp0FAhtn4JfEJZfMW");
pub(super) const OPENROUTER: &str =
    concat!("sk", "-or-v1-", "e76c6513dca4a2d0deaf90c2ed6314409ac9717f671957ffe6314365316b5fb4");
pub(super) const REPLICATE: &str = concat!("r8", "_", "ykHnYK3BNqLre8Iy7Q0e7QBIavub6d7YTVxVa");
pub(super) const HUGGING_FACE_1: &str = concat!("hf", "_", "wdPpDMnrXiKEvIvWMqbVrXkMtEUPpdPgtp");
pub(super) const HUGGING_FACE_2: &str = concat!("hf", "_", "lAwwELIZlMIwcPXoqVXRMvVdAvEgVovSWD");
pub(super) const NPM: &str = concat!("np", "m_", "vcua2jY0YKInBwjbRZyVn1i5gdQBa8kVsThT");
pub(super) const PYPI: &str = concat!(
    "pypi-",
    "AgEIcHlwaS5vcmcCJ",
    "1a7M7aU0cxWUVquowR3KUCIjAGAAqOx_HwCPmge1dmvxN8Jl6f_MYC6BAv_i1uFZOvmySk"
);
pub(super) const SENDGRID: &str = concat!(
    "SG",
    ".",
    "pIUwpXjUmS0ealIpLE7_tr",
    ".",
    "u9y_stKzyAfAwNjFBLEYvyMP7NlrEKQUQjkhUypBO8Q"
);
pub(super) const TWILIO_API_KEY: &str = concat!("S", "K", "490e622e039ff6a79173f2fc3db4e8c5");
pub(super) const TWILIO_ACCOUNT_SID: &str = concat!("A", "C", "5d88651fdd914d6c84b38be90d200c29");
pub(super) const TWILIO_AUTH_TOKEN: &str = concat!("e52aa566a438021d", "53c54093f08aaadc");
pub(super) const DIGITALOCEAN: &str =
    concat!("do", "p_v1_", "bc8b40e5f2ea1c8f9b456dbee7634f1b4e44f9f6c6697b5bdc88e3502c8174b0");
pub(super) const SHOPIFY: &str = concat!("shp", "at_", "73a874eb4231bc60e9e49664974ac160");
pub(super) const DATABRICKS: &str = concat!("da", "pi", "cd8d8ba52a995af160ad1447d168da65");
pub(super) const VAULT: &str = concat!(
    "hv",
    "s.",
    "Q11JyT33k0niDWM8AtBGLuEVbTDZ87r2jmvHKy1nHISxFchHzttoOv66Q6MlTDzNclIf9QTt5ZPKibMsyEYtxfAqGr"
);
pub(super) const AGE: &str =
    concat!("AGE-SECRET-", "KEY-1", "7Y00J5QDM6JJCHRUDY2URWC5WJTF5URKWJ36SFKEXSHYQEFKJWHZ5USYJL");
pub(super) const JWT_1: &str = concat!(
    "ey",
    "JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
    ".",
    "ey",
    "JzdWIiOiJ1c2VyXzQ4MjEiLCJyb2xlIjoiYWRtaW4iLCJpYXQiOjE3MTgwMDAwMDB9",
    ".",
    "zMxvh87_Y0GiWUc8wqTEhoEEleu5z6R5QWlV-qvN_2a"
);
pub(super) const JWT_2: &str = concat!(
    "ey",
    "JhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0",
    ".",
    "ey",
    "Jpc3MiOiJodHRwczovL2F1dGguYWNtZS5pbyIsImF1ZCI6ImFwaSIsImV4cCI6MTc1MDAwMDAwMH0",
    ".",
    "aQSx15MkOChN8QR63yQoGkPGL8pziX4CJ2f2Pflk0xy"
);
pub(super) const PEM_LINE_1: &str =
    "r3UIuM1InUiSFGM4PTzAgueQsJbxE9I7s7k940Vz2Rywrj6l0LN74Piux3ys7khO";
pub(super) const PEM_LINE_2: &str =
    "iysI2CzqF6LRcdY6abcGJGfydOuXQGl6Zo4GB/QqQhHD1Kf2HcPyj1twPg6ieaxw";
pub(super) const PEM_LINE_3: &str = "yiH+MmLVPZWLEsJySvtR3rS2HCUAo3dL3nF1bCqw";
pub(super) const PEM_LINE_4: &str =
    "K6DoOzwSiSUs1lqhzTYqjAshKILKYmkpogpWeFGQZDzg+m2M2XZfgbrCoenwn21+";
pub(super) const BEGIN_RSA: &str = concat!("-----BEGIN RSA ", "PRIVATE KEY-----");
pub(super) const END_RSA: &str = concat!("-----END RSA ", "PRIVATE KEY-----");
pub(super) const BEGIN_PKCS8: &str = concat!("-----BEGIN ", "PRIVATE KEY-----");
pub(super) const END_PKCS8: &str = concat!("-----END ", "PRIVATE KEY-----");
pub(super) const BEGIN_EC: &str = concat!("-----BEGIN EC ", "PRIVATE KEY-----");
pub(super) const END_EC: &str = concat!("-----END EC ", "PRIVATE KEY-----");
pub(super) const BEGIN_OPENSSH: &str = concat!("-----BEGIN OPENSSH ", "PRIVATE KEY-----");
pub(super) const END_OPENSSH: &str = concat!("-----END OPENSSH ", "PRIVATE KEY-----");
pub(super) const BEGIN_PGP: &str = concat!("-----BEGIN PGP ", "PRIVATE KEY BLOCK-----");
pub(super) const END_PGP: &str = concat!("-----END PGP ", "PRIVATE KEY BLOCK-----");
pub(super) const SECRET_BASE62_40: &str = concat!("kSavp6vSmeB3fUh4Mxhz", "nBoW263EE4POktI78Tu2");
pub(super) const SECRET_BASE62_32: &str = concat!("8FBfFpKPedQrF0DA", "lg12gOmwws0xXVzQ");
pub(super) const SECRET_BASE62_32_B: &str = concat!("zWUcdHRzgVhYla85", "RzFxlz0cFn2KlJ9P");
pub(super) const SECRET_BASE62_28: &str = concat!("AIhVLM7LBRQZqOX", "M6OrHbFBQFtcp");
pub(super) const SECRET_HEX_64: &str =
    concat!("3ea53742500db9178ce7715e62cf0013", "041003419e2d45eff16967f578ca99cc");
pub(super) const SECRET_HEX_40: &str = concat!("40be766eff36d35e0279", "6247ddf463418c6d6281");
pub(super) const KUBERNETES_PASSWORD: &str = concat!("XC69HxJfLqpc", "REKlEGMVG0TX");
pub(super) const BASIC_CREDENTIAL: &str = concat!("ZGVwbG95OlJr", "OSF2UTJt");

// Encoded blobs, cut into pieces shorter than the shortest base64 run the redactor decodes.

/// Base64 of a kubeconfig whose user holds a token.
pub(super) const KUBECONFIG_B64: &str = concat!(
    "YXBpVmVyc2lvbjogdjEK",
    "a2luZDogQ29uZmlnCnVz",
    "ZXJzOgotIG5hbWU6IGNp",
    "CiAgdXNlcjoKICAgIHRv",
    "a2VuOiBrVDdtUTJ4Vjlw",
    "TDR3Ujh6TjNiSDZjSjFm",
    "RDVzRzBhWQo="
);
/// Base64 of a Docker `config.json` whose `auth` holds `ci-bot:Rg7!Kx2mPq9v`.
pub(super) const DOCKER_CONFIG_B64: &str = concat!(
    "eyJhdXRocyI6eyJyZWdp",
    "c3RyeS5hY21lLmlvIjp7",
    "ImF1dGgiOiJZMmt0WW05",
    "ME9sSm5OeUZMZURKdFVI",
    "RTVkZz09In19fQ=="
);
/// Base64 of an environment file holding a database password.
pub(super) const ENV_FILE_B64: &str =
    concat!("REJfUEFTU1dPUkQ9WGs5", "bVEydjdMcApEQl9IT1NU", "PWRiLmludGVybmFsCg==");
/// Base64 of `deploy:Dkr!Pass42`, as Docker keeps it under `auth`.
pub(super) const DOCKER_AUTH: &str = concat!("ZGVwbG95OkRr", "ciFQYXNzNDI=");
/// Base64 of `user:Npm!Pass42`, as `.npmrc` keeps it under `_auth`.
pub(super) const NPM_AUTH: &str = concat!("dXNlcjpOcG0h", "UGFzczQy");
/// A Cargo registry token.
pub(super) const CARGO_TOKEN: &str = concat!("cio", "AbC123xYz789", "QwErTy456UiOp0");

/// Standard padded base64, for the wrapped blobs of the multi-line corpus and the secrets
/// test.
pub(super) fn encode_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::new();
    for chunk in bytes.chunks(3) {
        let buffer = chunk
            .iter()
            .enumerate()
            .fold(0u32, |buffer, (index, &byte)| buffer | u32::from(byte) << (16 - 8 * index));
        for index in 0..4 {
            if index <= chunk.len() {
                encoded.push(char::from(ALPHABET[(buffer >> (18 - 6 * index) & 63) as usize]));
            } else {
                encoded.push('=');
            }
        }
    }
    encoded
}

/// `blob` cut into lines of `width`, each prefixed by `prefix` (a diff marker and indentation).
pub(super) fn wrapped(blob: &str, width: usize, prefix: &str) -> (String, Vec<String>) {
    let pieces: Vec<String> = blob
        .as_bytes()
        .chunks(width)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect();
    let body = pieces.iter().map(|piece| format!("{prefix}{piece}\n")).collect();
    (body, pieces)
}
