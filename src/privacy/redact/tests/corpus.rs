//! The two corpora behind the recall and false-positive figures: realistic lines holding a
//! secret, each with the exact value that must be replaced, and realistic look-alikes that must
//! come through unchanged.

use super::fakes::*;
use crate::privacy::redact::SecretKind;

/// One line holding one secret, as it would appear added in a diff of `path`.
pub(super) struct SecretCase {
    /// The file the line belongs to; it decides the diff header and the file context.
    pub path: &'static str,
    /// The source line, without diff marker.
    pub line: String,
    /// The exact substring of `line` that must be replaced.
    pub secret: &'static str,
    /// The kind the finding must report.
    pub kind: SecretKind,
}

/// One line that holds no secret although it resembles one.
pub(super) struct LookAlike {
    /// The file the line belongs to.
    pub path: &'static str,
    /// The source line, without diff marker.
    pub line: &'static str,
}

fn case(path: &'static str, line: String, secret: &'static str, kind: SecretKind) -> SecretCase {
    SecretCase { path, line, secret, kind }
}

/// Realistic secrets in Python, JS/TS, Go, Rust, YAML, .env, JSON, shell, Terraform,
/// Dockerfile and more.
pub(super) fn secret_cases() -> Vec<SecretCase> {
    use SecretKind::*;
    vec![
        case(".env", format!("AWS_ACCESS_KEY_ID={AWS_ACCESS_KEY_1}"), AWS_ACCESS_KEY_1, AwsAccessKey),
        case(
            "infra/providers.tf",
            format!("  access_key = \"{AWS_ACCESS_KEY_2}\""),
            AWS_ACCESS_KEY_2,
            AwsAccessKey,
        ),
        case(
            "scripts/upload.py",
            format!("session = boto3.Session(aws_access_key_id=\"{AWS_ACCESS_KEY_3}\", region_name=\"eu-west-1\")"),
            AWS_ACCESS_KEY_3,
            AwsAccessKey,
        ),
        case(
            ".aws/credentials",
            format!("aws_secret_access_key = {AWS_SECRET_KEY_1}"),
            AWS_SECRET_KEY_1,
            AwsSecretKey,
        ),
        case(
            ".github/workflows/deploy.yml",
            format!("          AWS_SECRET_ACCESS_KEY: \"{AWS_SECRET_KEY_2}\""),
            AWS_SECRET_KEY_2,
            AwsSecretKey,
        ),
        case(
            "web/src/firebase.ts",
            format!("  apiKey: \"{GOOGLE_API_KEY_1}\","),
            GOOGLE_API_KEY_1,
            GoogleApiKey,
        ),
        case(
            "internal/geo/maps.go",
            format!("const mapsKey = \"{GOOGLE_API_KEY_2}\""),
            GOOGLE_API_KEY_2,
            GoogleApiKey,
        ),
        case(
            "config/client_secret.json",
            format!("    \"client_secret\": \"{GOOGLE_OAUTH_SECRET}\","),
            GOOGLE_OAUTH_SECRET,
            GoogleOAuthCredential,
        ),
        case(
            "scripts/list-drive.sh",
            format!("curl -s -H \"Authorization: Bearer {GOOGLE_OAUTH_TOKEN}\" https://www.googleapis.com/drive/v3/files"),
            GOOGLE_OAUTH_TOKEN,
            GoogleOAuthCredential,
        ),
        case(
            "src/Api/appsettings.json",
            format!("    \"Storage\": \"DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey={AZURE_STORAGE_KEY};EndpointSuffix=core.windows.net\","),
            AZURE_STORAGE_KEY,
            AzureKey,
        ),
        case(".env.production", format!("AZURE_CLIENT_SECRET={AZURE_CLIENT_SECRET}"), AZURE_CLIENT_SECRET, AzureKey),
        case(
            "app/llm.py",
            format!("AZURE_OPENAI_API_KEY = \"{AZURE_OPENAI_KEY}\""),
            AZURE_OPENAI_KEY,
            AzureKey,
        ),
        case(
            "scripts/mirror.sh",
            format!("git clone https://x-access-token:{GITHUB_CLASSIC}@github.com/acme/infra.git"),
            GITHUB_CLASSIC,
            GitHubToken,
        ),
        case(
            "tools/release.py",
            format!("gh = Github(\"{GITHUB_OAUTH}\")"),
            GITHUB_OAUTH,
            GitHubToken,
        ),
        case(
            "src/github.rs",
            format!("    let octocrab = Octocrab::builder().personal_token(\"{GITHUB_SERVER}\".to_string()).build()?;"),
            GITHUB_SERVER,
            GitHubToken,
        ),
        case(
            "src/octokit.ts",
            format!("const octokit = new Octokit({{ auth: \"{GITHUB_FINE_GRAINED}\" }});"),
            GITHUB_FINE_GRAINED,
            GitHubToken,
        ),
        case(".gitlab-ci.yml", format!("  GITLAB_TOKEN: {GITLAB_PERSONAL}"), GITLAB_PERSONAL, GitLabToken),
        case("deploy.sh", format!("export CI_DEPLOY_TOKEN={GITLAB_DEPLOY}"), GITLAB_DEPLOY, GitLabToken),
        case(
            "runner/config.toml",
            format!("  token = \"{GITLAB_RUNNER}\""),
            GITLAB_RUNNER,
            GitLabToken,
        ),
        case(
            "bot/notify.py",
            format!("client = WebClient(token=\"{SLACK_BOT}\")"),
            SLACK_BOT,
            SlackToken,
        ),
        case(".env", format!("SLACK_APP_TOKEN={SLACK_APP}"), SLACK_APP, SlackToken),
        case(
            "src/alerts.js",
            format!("await fetch(\"https://hooks.slack.com/services/{SLACK_WEBHOOK_PATH}\", {{ method: \"POST\", body }});"),
            SLACK_WEBHOOK_PATH,
            SlackWebhook,
        ),
        case(
            "server/billing.js",
            format!("const stripe = require(\"stripe\")(\"{STRIPE_LIVE}\");"),
            STRIPE_LIVE,
            StripeKey,
        ),
        case(
            "tests/conftest.py",
            format!("stripe.api_key = \"{STRIPE_TEST}\""),
            STRIPE_TEST,
            StripeKey,
        ),
        case(
            "config/stripe.yaml",
            format!("restricted_key: {STRIPE_RESTRICTED}"),
            STRIPE_RESTRICTED,
            StripeKey,
        ),
        case(".env.local", format!("STRIPE_WEBHOOK_SECRET={STRIPE_WEBHOOK}"), STRIPE_WEBHOOK, StripeKey),
        case(
            "app/summarize.py",
            format!("client = OpenAI(api_key=\"{OPENAI_PROJECT}\")"),
            OPENAI_PROJECT,
            OpenAiKey,
        ),
        case(".env", format!("OPENAI_API_KEY={OPENAI_LEGACY}"), OPENAI_LEGACY, OpenAiKey),
        case(
            "src/lib/openai.ts",
            format!("const openai = new OpenAI({{ apiKey: \"{OPENAI_SERVICE_ACCOUNT}\" }});"),
            OPENAI_SERVICE_ACCOUNT,
            OpenAiKey,
        ),
        case(
            "agent/main.py",
            format!("client = anthropic.Anthropic(api_key=\"{ANTHROPIC_1}\")"),
            ANTHROPIC_1,
            AnthropicKey,
        ),
        case(
            "~/.zshrc",
            format!("export ANTHROPIC_API_KEY='{ANTHROPIC_2}'"),
            ANTHROPIC_2,
            AnthropicKey,
        ),
        case(
            "cmd/chat/main.go",
            format!("\tclient := groq.NewClient(\"{GROQ}\")"),
            GROQ,
            GroqKey,
        ),
        case(
            "src/providers/xai.rs",
            format!("const XAI_KEY: &str = \"{XAI}\";"),
            XAI,
            XaiKey,
        ),
        case(
            "config/providers.json",
            format!("  \"perplexity\": {{ \"key\": \"{PERPLEXITY}\" }},"),
            PERPLEXITY,
            PerplexityKey,
        ),
        case(
            "src/router.ts",
            format!("const headers = {{ Authorization: `Bearer {OPENROUTER}` }};"),
            OPENROUTER,
            OpenRouterKey,
        ),
        case(
            "notebooks/generate.py",
            format!("os.environ[\"REPLICATE_API_TOKEN\"] = \"{REPLICATE}\""),
            REPLICATE,
            ReplicateToken,
        ),
        case(
            "train/upload.py",
            format!("login(token=\"{HUGGING_FACE_1}\")"),
            HUGGING_FACE_1,
            HuggingFaceToken,
        ),
        case("Dockerfile", format!("ENV HF_TOKEN={HUGGING_FACE_2}"), HUGGING_FACE_2, HuggingFaceToken),
        case(
            ".npmrc",
            format!("//registry.npmjs.org/:_authToken={NPM}"),
            NPM,
            NpmToken,
        ),
        case(".pypirc", format!("password = {PYPI}"), PYPI, PyPiToken),
        case(
            "src/mailer.js",
            format!("sgMail.setApiKey(\"{SENDGRID}\");"),
            SENDGRID,
            SendGridKey,
        ),
        case(
            "sms/client.py",
            format!("client = Client(\"{TWILIO_API_KEY}\", api_secret, account_sid)"),
            TWILIO_API_KEY,
            TwilioKey,
        ),
        case(".env", format!("TWILIO_ACCOUNT_SID={TWILIO_ACCOUNT_SID}"), TWILIO_ACCOUNT_SID, TwilioKey),
        case(
            "config/sms.yml",
            format!("twilio_auth_token: \"{TWILIO_AUTH_TOKEN}\""),
            TWILIO_AUTH_TOKEN,
            TwilioKey,
        ),
        case(
            "terraform/do.tf",
            format!("  token = \"{DIGITALOCEAN}\""),
            DIGITALOCEAN,
            DigitalOceanToken,
        ),
        case(
            "shop/sync.rb",
            format!("session = ShopifyAPI::Auth::Session.new(shop: shop, access_token: \"{SHOPIFY}\")"),
            SHOPIFY,
            ShopifyToken,
        ),
        case(
            "jobs/databricks.cfg",
            format!("token = {DATABRICKS}"),
            DATABRICKS,
            DatabricksToken,
        ),
        case("scripts/vault-login.sh", format!("vault login {VAULT}"), VAULT, VaultToken),
        case("secrets/backup.txt", format!("# public key: age1qz; {AGE}"), AGE, AgeSecretKey),
        case(
            "web/src/api.test.ts",
            format!("const sessionToken = \"{JWT_1}\";"),
            JWT_1,
            Jwt,
        ),
        case(
            "docs/requests.http",
            format!("Authorization: Bearer {JWT_2}"),
            JWT_2,
            Jwt,
        ),
        case(
            "config/service-account.json",
            format!("  \"private_key\": \"{BEGIN_PKCS8}\\n{PEM_LINE_1}\\n{PEM_LINE_2}\\n{END_PKCS8}\\n\","),
            SERVICE_ACCOUNT_SPAN,
            GoogleServiceAccountKey,
        ),
        case(
            ".env",
            format!("SIGNING_KEY=\"{BEGIN_EC}\\n{PEM_LINE_4}\\n{END_EC}\""),
            EC_INLINE_SPAN,
            PrivateKeyBlock,
        ),
        case(
            "docker-compose.yml",
            "      DATABASE_URL: postgres://app:Tr0ub4dor-and-3@db:5432/app".to_string(),
            "Tr0ub4dor-and-3",
            PasswordInUrl,
        ),
        case(
            "app/cache.py",
            "cache = redis.from_url(\"redis://:k8sRedisPw2024@redis.internal:6379/0\")".to_string(),
            "k8sRedisPw2024",
            PasswordInUrl,
        ),
        case(
            "internal/store/mongo.go",
            "\tdsn := \"mongodb+srv://svc-reporting:8zs3wD7KtChqY7@cluster0.abcd1.mongodb.net/reports\""
                .to_string(),
            "8zs3wD7KtChqY7",
            PasswordInUrl,
        ),
        case(
            "settings/production.py",
            format!("SECRET_KEY = \"{SECRET_BASE62_40}\""),
            SECRET_BASE62_40,
            HighEntropyAssignment,
        ),
        case(
            "internal/auth/jwt.go",
            format!("\tjwtSecret := \"{SECRET_BASE62_32}\""),
            SECRET_BASE62_32,
            HighEntropyAssignment,
        ),
        case(
            "src/session.rs",
            format!("const SESSION_SECRET: &str = \"{SECRET_HEX_64}\";"),
            SECRET_HEX_64,
            HighEntropyAssignment,
        ),
        case(
            "k8s/db-secret.yaml",
            format!("  password: {KUBERNETES_PASSWORD}"),
            KUBERNETES_PASSWORD,
            HighEntropyAssignment,
        ),
        case(
            "terraform/rds.tf",
            "  master_password = \"Summer2024!Prod\"".to_string(),
            "Summer2024!Prod",
            HighEntropyAssignment,
        ),
        case(".env", "DB_PASSWORD=hunter22Xq".to_string(), "hunter22Xq", HighEntropyAssignment),
        case(
            "config/default.json",
            format!("  \"apiSecret\": \"{SECRET_BASE62_32_B}\","),
            SECRET_BASE62_32_B,
            HighEntropyAssignment,
        ),
        case(
            "scripts/restore.sh",
            "mysql -u root --password 'Rk9!vQ2m#x' shop < dump.sql".to_string(),
            "Rk9!vQ2m#x",
            CommandLinePassword,
        ),
        case(
            "Dockerfile",
            format!("ENV API_TOKEN {SECRET_BASE62_28}"),
            SECRET_BASE62_28,
            HighEntropyAssignment,
        ),
        case(
            "scripts/smoke.sh",
            format!("curl -H \"Authorization: Basic {BASIC_CREDENTIAL}\" https://staging.acme.io/health"),
            BASIC_CREDENTIAL,
            AuthorizationHeader,
        ),
        case(
            "client/api.py",
            format!("headers = {{\"Authorization\": \"Token {SECRET_HEX_40}\"}}"),
            SECRET_HEX_40,
            AuthorizationHeader,
        ),
    ]
    .into_iter()
    .chain(new_kind_cases())
    .chain(phrase_and_attribute_cases())
    .collect()
}

/// The kinds and forms added for issue 15: passwords with reserved characters in URLs,
/// connection strings, command lines, credential files, environment files whatever their
/// name, and encoded blobs.
fn new_kind_cases() -> Vec<SecretCase> {
    use SecretKind::*;
    vec![
        case(
            "docker-compose.yml",
            "      DATABASE_URL: postgres://app:Xk9#mQ2v!7Lp@db:5432/app".to_string(),
            "Xk9#mQ2v!7Lp",
            PasswordInUrl,
        ),
        case(
            "internal/store/mongo.go",
            "\turi := \"mongodb+srv://admin:M0ng0/Pa55w0rd@cluster0.x1y2z.mongodb.net/?retryWrites=true\""
                .to_string(),
            "M0ng0/Pa55w0rd",
            PasswordInUrl,
        ),
        case(
            "scripts/push.sh",
            "git remote add origin https://deploy:p@ss/w0rd#1@git.acme.io/acme/app.git".to_string(),
            "p@ss/w0rd#1",
            PasswordInUrl,
        ),
        case(
            "config/queue.yml",
            "url: amqp://svc:Q%23w3%40rty%2F9@rabbit.internal:5672/vhost".to_string(),
            "Q%23w3%40rty%2F9",
            PasswordInUrl,
        ),
        case(
            "app/settings.py",
            "CACHE_URL = \"redis://:R3d!s?Pw42@cache:6379/1\"".to_string(),
            "R3d!s?Pw42",
            PasswordInUrl,
        ),
        case(
            "src/Api/appsettings.json",
            "    \"Default\": \"Server=tcp:sql.acme.io,1433;Database=shop;User ID=app;Password=Xk9!mQ2#v7;Encrypt=True;\""
                .to_string(),
            "Xk9!mQ2#v7",
            ConnectionStringPassword,
        ),
        case(
            "reports/export.py",
            "conn = pyodbc.connect(\"Driver={ODBC Driver 18 for SQL Server};Server=db;Uid=report;Pwd=Rp0rt!ng2024;\")"
                .to_string(),
            "Rp0rt!ng2024",
            ConnectionStringPassword,
        ),
        case(
            "src/main/resources/application.properties",
            "spring.datasource.url=jdbc:mysql://db:3306/shop?user=app&password=S3cur3Sh0p&useSSL=true"
                .to_string(),
            "S3cur3Sh0p",
            ConnectionStringPassword,
        ),
        case(
            "db/connect.go",
            "\tdsn := \"host=db.internal port=5432 user=app password=Pg4pp!2024 dbname=app sslmode=require\""
                .to_string(),
            "Pg4pp!2024",
            ConnectionStringPassword,
        ),
        case(
            "deploy/odbc.ini",
            "ConnectionString = Driver={PostgreSQL};Server=db;Database=app;Uid=app;Pwd={Br4c3d;Pw!};"
                .to_string(),
            "{Br4c3d;Pw!}",
            ConnectionStringPassword,
        ),
        case(
            "app/Program.cs",
            "var connection = \"Data Source=db;Initial Catalog=crm;User Id=crm;Password=Cr^m2024x;\";"
                .to_string(),
            "Cr^m2024x",
            ConnectionStringPassword,
        ),
        case(
            "scripts/backup.sh",
            "mysqldump -u root -pXk9mQ2v7Lp shop > shop.sql".to_string(),
            "Xk9mQ2v7Lp",
            CommandLinePassword,
        ),
        case(
            "scripts/health.sh",
            "curl -fsS -u admin:Adm1n!Pass https://grafana.acme.io/api/health".to_string(),
            "Adm1n!Pass",
            CommandLinePassword,
        ),
        case(
            "deploy/copy.sh",
            "sshpass -p 'Ssh!Pa55w0rd' scp build.tgz deploy@web1:/srv".to_string(),
            "Ssh!Pa55w0rd",
            CommandLinePassword,
        ),
        case(
            "scripts/migrate.sh",
            "PGPASSWORD=hunter2x psql -h db -U app -d app -f schema.sql".to_string(),
            "hunter2x",
            CommandLinePassword,
        ),
        case(
            "ci/publish.sh",
            "docker login -u ci -p Dkr!T0ken99 registry.acme.io".to_string(),
            "Dkr!T0ken99",
            CommandLinePassword,
        ),
        case(
            "Makefile",
            "\tmysql --user=root --password=R00t!Pw shop < seed.sql".to_string(),
            "R00t!Pw",
            CommandLinePassword,
        ),
        case(
            "scripts/cache.sh",
            "redis-cli -h cache -a R3disAuth42 FLUSHALL".to_string(),
            "R3disAuth42",
            CommandLinePassword,
        ),
        case(
            ".m2/settings.xml",
            "      <password>Mvn!Deploy42</password>".to_string(),
            "Mvn!Deploy42",
            CredentialFileSecret,
        ),
        case(
            "settings.xml",
            "  <password>{COQLCE6DU6GtcS5P4Rq8vX2bLw=}</password>".to_string(),
            "{COQLCE6DU6GtcS5P4Rq8vX2bLw=}",
            CredentialFileSecret,
        ),
        case("gradle.properties", "ossrhPassword=Gr4dle!x".to_string(), "Gr4dle!x", CredentialFileSecret),
        case(".npmrc", format!("_auth={NPM_AUTH}"), NPM_AUTH, CredentialFileSecret),
        case(
            ".npmrc",
            "//nexus.acme.io/repository/npm/:_password=TnBtUGFzczQy".to_string(),
            "TnBtUGFzczQy",
            CredentialFileSecret,
        ),
        case(".pypirc", "password = Pyp1!Upload".to_string(), "Pyp1!Upload", CredentialFileSecret),
        case(
            ".docker/config.json",
            format!("      \"auth\": \"{DOCKER_AUTH}\""),
            DOCKER_AUTH,
            CredentialFileSecret,
        ),
        case(
            ".cargo/credentials.toml",
            format!("token = \"{CARGO_TOKEN}\""),
            CARGO_TOKEN,
            CredentialFileSecret,
        ),
        case(
            "auth.json",
            "        \"repo.packagist.com\": \"Cmp0s3rB3arer9\"".to_string(),
            "Cmp0s3rB3arer9",
            CredentialFileSecret,
        ),
        case("auth.json", "            \"password\": \"C0mp!pw\"".to_string(), "C0mp!pw", CredentialFileSecret),
        case("env.prod", "DB_PASSWORD=hunter2x".to_string(), "hunter2x", HighEntropyAssignment),
        case(
            "deploy/prod.env.example",
            "SMTP_PASSWORD=Mail2024!".to_string(),
            "Mail2024!",
            HighEntropyAssignment,
        ),
        case("config/env.staging", "REDIS_PASS=r3dis-st4ge".to_string(), "r3dis-st4ge", HighEntropyAssignment),
        case("app.env", "ADMIN_PASSWORD=Adm1nPw".to_string(), "Adm1nPw", HighEntropyAssignment),
        case("env.prod", "DB_PASS=shortpw".to_string(), "shortpw", HighEntropyAssignment),
        case("env.prod", "API_TOKEN=tok123".to_string(), "tok123", HighEntropyAssignment),
        case("deploy/prod.env", "SECRET=abc".to_string(), "abc", HighEntropyAssignment),
        case(".env.staging", "MAILER_PWD=mailer".to_string(), "mailer", HighEntropyAssignment),
        case(".env.local", "STRIPE_APIKEY=\"stripekey\"".to_string(), "stripekey", HighEntropyAssignment),
        case("app.env", "GCP_PRIVATE_KEY=pk1".to_string(), "pk1", HighEntropyAssignment),
        case(
            "web.config",
            "    <add key=\"ApiSecret\" value=\"Qm9Xk2Lp7Rt4Wv8Zs1Yn3Bc6\"/>".to_string(),
            "Qm9Xk2Lp7Rt4Wv8Zs1Yn3Bc6",
            HighEntropyAssignment,
        ),
        case("conf/app.xml", "  <secret value=\"s3cr3tV4lu3XyZ98Qw\"/>".to_string(), "s3cr3tV4lu3XyZ98Qw", HighEntropyAssignment),
        case(
            "build.xml",
            "  <property name=\"password\" value=\"XmlPr0pPassw0rd\"/>".to_string(),
            "XmlPr0pPassw0rd",
            HighEntropyAssignment,
        ),
        case(
            "deploy/ci.sh",
            format!("export KUBECONFIG_B64={KUBECONFIG_B64}"),
            KUBECONFIG_B64,
            EncodedSecret,
        ),
        case(
            "k8s/registry-secret.yaml",
            format!("  .dockerconfigjson: {DOCKER_CONFIG_B64}"),
            DOCKER_CONFIG_B64,
            EncodedSecret,
        ),
        case(
            "scripts/seed.sh",
            format!("echo '{ENV_FILE_B64}' | base64 -d > .env"),
            ENV_FILE_B64,
            EncodedSecret,
        ),
        case(
            "config/app.json",
            r#"  "settings": "{\"db\": {\"password\": \"Xk9mQ2v7Lp\"}, \"region\": \"eu\"}","#.to_string(),
            r#"{\"db\": {\"password\": \"Xk9mQ2v7Lp\"}, \"region\": \"eu\"}"#,
            EncodedSecret,
        ),
        case(
            "src/hooks.rs",
            format!(r#"    let body = "{{\"event\": \"push\", \"token\": \"{GITHUB_SERVER}\"}}";"#),
            ESCAPED_TOKEN_SPAN,
            EncodedSecret,
        ),
    ]
}

/// What the JSON-escaped token case must replace: the whole string literal's body.
const ESCAPED_TOKEN_SPAN: &str = concat!(
    r#"{\"event\": \"push\", \"token\": \""#,
    "gh",
    "s_",
    "VBD3UuNDnK1P9cXZczkbtE5WU70ka5hAnC3Q",
    r#"\"}"#
);

/// What the service-account case must replace: the whole escaped key, BEGIN to END.
const SERVICE_ACCOUNT_SPAN: &str = concat!(
    "-----BEGIN ",
    "PRIVATE KEY-----",
    "\\nr3UIuM1InUiSFGM4PTzAgueQsJbxE9I7s7k940Vz2Rywrj6l0LN74Piux3ys7khO",
    "\\niysI2CzqF6LRcdY6abcGJGfydOuXQGl6Zo4GB/QqQhHD1Kf2HcPyj1twPg6ieaxw\\n",
    "-----END ",
    "PRIVATE KEY-----"
);

/// What the inline EC key case must replace.
const EC_INLINE_SPAN: &str = concat!(
    "-----BEGIN EC ",
    "PRIVATE KEY-----",
    "\\nK6DoOzwSiSUs1lqhzTYqjAshKILKYmkpogpWeFGQZDzg+m2M2XZfgbrCoenwn21+\\n",
    "-----END EC ",
    "PRIVATE KEY-----"
);

fn look_alike(path: &'static str, line: &'static str) -> LookAlike {
    LookAlike { path, line }
}

/// Lines that resemble secrets but are not, and must pass through untouched.
pub(super) fn look_alikes() -> Vec<LookAlike> {
    vec![
        look_alike("Cargo.lock", "checksum = \"98856f28fa119644c6e2a87a5913b8e1715999b3dc9c39b2183beb2ab6c9e7a2\""),
        look_alike("package-lock.json", "      \"integrity\": \"sha512-y6y4mc5Tj+4ETff/85y01B5PlASLlfEUGKfzxQKfWetemwxgbbkDBSa6CqRjQmBJqat51v525g38fQzAIsGQaw==\","),
        look_alike("package-lock.json", "      \"resolved\": \"https://registry.npmjs.org/js-tokens/-/js-tokens-4.0.0.tgz\","),
        look_alike("package-lock.json", "    \"node_modules/@auth/core\": {"),
        look_alike("go.sum", "golang.org/x/crypto v0.21.0 h1:4hk5Osmh43giZQxmqFGooLPoEqJBm3INfy9x7vkR4Zo="),
        look_alike("go.sum", "golang.org/x/oauth2 v0.18.0/go.mod h1:Wf7knwG0MPoWIMMBgFlEaSUDaKskp0dCfrlJRJXbBi8="),
        look_alike("yarn.lock", "  resolved \"https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#1d3715f06f48a54e4ecb15a1c1bd23a55fe9868d\""),
        look_alike("yarn.lock", "  integrity sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg=="),
        look_alike("pnpm-lock.yaml", "    resolution: {integrity: sha512-k+P8ZTbWz0eHymrzxMfpU9780Uv09YCgW7KIA7PU1DE=}"),
        look_alike("poetry.lock", "    {file = \"requests-2.31.0.tar.gz\", hash = \"sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1\"},"),
        look_alike("app/models.py", "request_id = \"4d6dd960-4c80-4b51-84c4-d20e30e38056\""),
        look_alike("fixtures/order.json", "  \"correlationId\": \"4d6dd960-4c80-4b51-84c4-d20e30e38056\","),
        look_alike("deploy/release.toml", "commit = \"496bc814362b9582bae3fe996959d66a7fba46ee\""),
        look_alike(".github/workflows/ci.yml", "        sha: 1d3715f06f48a54e4ecb15a1c1bd23a55fe9868d"),
        look_alike("Dockerfile", "FROM node:20-alpine@sha256:98856f28fa119644c6e2a87a5913b8e1715999b3dc9c39b2183beb2ab6c9e7a2"),
        look_alike("src/image.rs", "const PIXEL_PNG: &str = \"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\";"),
        look_alike("tests/test_digest.py", "EXPECTED_DIGEST = \"k+P8ZTbWz0eHymrzxMfpU9780Uv09YCgW7KIA7PU1DE=\""),
        look_alike(".env.example", "OPENAI_API_KEY=sk-your-key-here"),
        look_alike("README.md", "api_key = \"your-api-key-here\""),
        look_alike("docs/aws.md", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"),
        look_alike("docs/aws.md", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        look_alike(".env.sample", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        look_alike("config/database.yml", "  password: changeme"),
        look_alike("docs/api.md", "  token: \"<token>\""),
        look_alike(".env.example", "API_KEY=${API_KEY}"),
        look_alike("scripts/ci.sh", "export TOKEN=$GITHUB_TOKEN"),
        look_alike("src/openai.ts", "const apiKey = process.env.OPENAI_API_KEY;"),
        look_alike("app/llm.py", "api_key = os.environ[\"ANTHROPIC_API_KEY\"]"),
        look_alike("app/hub.py", "token = os.getenv(\"HF_TOKEN\")"),
        look_alike("app/settings.py", "password = None"),
        look_alike("config/default.json", "  \"apiKey\": null,"),
        look_alike("config/app.yaml", "use_auth: false"),
        look_alike("app/llm.py", "max_tokens = 4096"),
        look_alike("deploy/hosts.ini", "key_path = \"/home/deploy/.ssh/id_ed25519\""),
        look_alike("nginx/site.yml", "private_key_file: /etc/ssl/private/server.key"),
        look_alike("db/schema.py", "primary_key = \"a8f5f167f44f4964e6c998dee827110c\""),
        look_alike("settings.json", "  \"keyboard.layout\": \"en-US-international-with-dead-keys\","),
        look_alike("zoo/animals.py", "monkey = \"Xk9mP2qLz8Rt5Vw3\""),
        look_alike("src/config.ts", "const url = \"https://api.internal.acme.io:8443/v1/models\";"),
        look_alike(".gitmodules", "\turl = git@github.com:acme/infra.git"),
        look_alike("scripts/sync.sh", "rsync -e ssh ssh://deploy@bastion.acme.io:2222/srv/app ./app"),
        look_alike("README.md", "git clone https://jdoe@bitbucket.org/acme/repo.git"),
        look_alike("web/styles.css", "  --accent-color: #1e90ff;"),
        look_alike("web/theme.scss", "$token-border-color: #AABBCC !default;"),
        look_alike("src/worker.rs", "fn handle_authentication_token_refresh_for_background_worker() {"),
        look_alike("src/nlp.ts", "const tokenizerConfigurationForMultilingualModels = loadTokenizer();"),
        look_alike("app/auth.py", "password = get_password_from_keyring(service_name)"),
        look_alike("app/views.py", "auth_token = self.request.headers.get(\"X-Auth-Token\")"),
        look_alike("terraform/rds.tf", "  password = var.db_password"),
        look_alike("terraform/kms.tf", "  kms_key_id = \"arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\""),
        look_alike("web/src/List.tsx", "      <ListItem key={item.id} title={item.name} />"),
        look_alike("internal/api/auth.go", "\ttoken := r.Header.Get(\"Authorization\")"),
        look_alike("ansible/db.yml", "    password: \"{{ vault_db_password }}\""),
        look_alike(".github/workflows/ci.yml", "          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}"),
        look_alike("docs/auth.md", "    Authorization: Bearer <your-token>"),
        look_alike("ansible/users.yml", "public_key = \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq4vT9PwYbQ3hJ6k2L0Zm5cXrA8sN1uE7fD4gH2iK3l deploy\""),
        look_alike("locales/en.json", "  \"key\": \"settings.notifications.title\","),
        look_alike("web/index.html", "<script src=\"/vendor.js\" integrity=\"sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC\"></script>"),
        look_alike("fixtures/files.json", "  \"hash\": \"d41d8cd98f00b204e9800998ecf8427e\","),
        look_alike("web/Spinner.jsx", "  <div className=\"sk-fading-circle-animation-container\" />"),
        look_alike("ml/train.py", "tokenizer_name = \"bert-base-multilingual-uncased-v2\""),
        look_alike("app/policy.py", "password_min_length = 12"),
        look_alike("app/models/user.rb", "  validates :password, length: { minimum: 8 }"),
        look_alike("src/pem.rs", "    if line.starts_with(\"-----BEGIN RSA PRIVATE KEY-----\") {"),
        look_alike("scripts/env.sh", "export PATH=$HOME/.cargo/bin:$PATH"),
        look_alike("src/cache.rs", "        let cache_key = format!(\"{}:{}\", model, digest);"),
        look_alike("src/types.ts", "  token: string;"),
        look_alike("src/client.rs", "    pub fn new(api_key: &str) -> Self {"),
        look_alike("docs/setup.md", "Create a token with the `repo` scope and paste it into the prompt."),
        look_alike("src/auth/session.py", "SESSION_COOKIE_NAME = \"sessionid\""),
        // Found as false positives by running the module over real source trees.
        look_alike("src/utf16.rs", "/// character in the Basic Multilingual Plane."),
        look_alike("src/ffi.rs", "pub const NCRYPT_NO_CACHED_PASSWORD: u32 = 16384u32;"),
        look_alike("src/ffi.rs", "pub const NS_E_DRM_PASSWORD_TOO_LONG: HRESULT = 0xC00D1B93_u32 as _;"),
        look_alike("src/ffi.rs", "    pub AcquireCredentialsHandleA: SpAcquireCredentialsHandleFn,"),
        look_alike("README.md", "gpg --keyserver hkps://keys.openpgp.org --recv-keys 5BE8A3F6C8A5C01D106C0AD820B1A390B168D356"),
        look_alike("conf/management.properties", "# com.sun.management.jmxremote.password.toHashes = true|false"),
        look_alike("crypto/oid.py", "    AttributeOID.CHALLENGE_PASSWORD: \"challengePassword\","),
        look_alike("crypto/ec.py", "    backend: \"Backend\", private_key: \"_EllipticCurvePrivateKey\", data: bytes"),
        look_alike("src/phf.rs", "    keys: \"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\","),
        look_alike(".circleci/config.yml", "          key: project-cache-v5-<< parameters.rust_img >>-{{ checksum \"Cargo.toml\" }}"),
        look_alike("http/cookies.py", "_LegalKeyChars  = r\"\\w\\d!#%&'~_`><@,:/\\$\\*\\+\\-\\.\\^\\|\\)\\(\\?\\}\\{\\=\""),
        look_alike("lexers/builtins.py", "COCOA = {'PKPassLibrary', 'PKPaymentAuthorizationController', 'PKAddPassesViewController'}"),
        look_alike("src/ssh.py", "_SK_START = b\"-----BEGIN OPENSSH PRIVATE KEY-----\""),
        look_alike("urllib/request.py", "            proxy_auth_hdr = \"Proxy-Authorization\""),
        look_alike("hooks/update-paranoid", "\tmy $rule_key = \"repository.$repository_name.allow\";"),
        look_alike("src/hpack.rs", "        let key = \"hello-world-hello-world-HELLO-zzz\";"),
        look_alike("tests/parse.rs", "    b\"HTTP/1.1 200 OK\\r\\nAccess-Control-Allow-Credentials: hell\\0o\\r\\n\";"),
    ]
    .into_iter()
    .chain(new_look_alikes())
    .chain(phrase_and_attribute_look_alikes())
    .collect()
}

/// Look-alikes of the kinds added for issue 15: placeholders in documentation, variables on
/// command lines, harmless values in credential and environment files, blobs that decode to
/// nothing secret, and test fixtures marked as fake.
fn new_look_alikes() -> Vec<LookAlike> {
    vec![
        look_alike("docs/database.md", "    postgres://user:password@localhost:5432/db"),
        look_alike("README.md", "Server=myServer;Database=myDb;User Id=myUser;Password=myPassword;"),
        look_alike("docs/connect.md", "jdbc:postgresql://localhost:5432/app?user=app&password=changeme"),
        look_alike("docs/odbc.md", "Driver={ODBC Driver 18};Server=db;Uid=app;Pwd=<password>;"),
        look_alike("src/db.py", "conn = psycopg2.connect(host=host, password=db_password)"),
        look_alike("src/db.py", "dsn = f\"host={host} user={user} password={password}\""),
        look_alike("src/client.ts", "const search = \"https://api.acme.io:8443/search?mail=jane@acme.io\";"),
        look_alike("scripts/remote.sh", "git remote add origin https://github.com/acme/app.git"),
        look_alike("docs/cli.md", "mysql -u root -p mydb"),
        look_alike("scripts/backup.sh", "mysqldump -u \"$DB_USER\" -p\"$DB_PASSWORD\" shop > shop.sql"),
        look_alike("Dockerfile", "RUN mysql -uroot -p\"${MYSQL_ROOT_PASSWORD}\" < /init.sql"),
        look_alike("scripts/health.sh", "curl -u \"$USER:$TOKEN\" https://api.acme.io/health"),
        look_alike("scripts/ci.sh", "curl -u \"${API_USER}:${API_TOKEN}\" -X POST https://ci.acme.io"),
        look_alike("ci/login.sh", "echo \"$TOKEN\" | docker login -u ci --password-stdin registry.acme.io"),
        look_alike("scripts/deploy.sh", "sshpass -e ssh deploy@web1 uptime"),
        look_alike("scripts/psql.sh", "PGPASSWORD=\"$DB_PASSWORD\" psql -h db -U app"),
        look_alike("docs/redis.md", "redis-cli -a <password> PING"),
        look_alike("Makefile", "\tmkdir -p build/out && cp -p README.md build/out/"),
        look_alike("README.md", "docker run -p 8080:80 -e PASSWORD_FILE=/run/secrets/db nginx"),
        look_alike("settings.xml", "      <password>${env.MAVEN_PASSWORD}</password>"),
        look_alike("settings.xml", "      <username>deployer</username>"),
        look_alike("settings.xml", "      <id>ossrh</id>"),
        look_alike("docs/maven.md", "<password>your-password</password>"),
        look_alike("gradle.properties", "signing.keyId=24875D73"),
        look_alike("gradle.properties", "signing.secretKeyRingFile=/home/ci/.gnupg/secring.gpg"),
        look_alike("gradle.properties", "org.gradle.jvmargs=-Xmx2g -Dfile.encoding=UTF-8"),
        look_alike(".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}"),
        look_alike(".npmrc", "always-auth=true"),
        look_alike(".pypirc", "username = __token__"),
        look_alike(".docker/config.json", "  \"credsStore\": \"desktop\","),
        look_alike(".docker/config.json", "      \"auth\": \"\""),
        look_alike("auth.json", "        \"repo.packagist.com\": {"),
        look_alike(".cargo/credentials.toml", "[registries.acme]"),
        look_alike("env.prod", "DB_PASSWORD=${DB_PASSWORD}"),
        look_alike("deploy/prod.env.example", "DB_PASSWORD=changeme"),
        look_alike("deploy/prod.env.example", "SMTP_PASSWORD=<your-password>"),
        look_alike("deploy/prod.env.example", "API_KEY="),
        look_alike("config/env.staging", "LOG_LEVEL=debug"),
        look_alike("env.prod", "API_TOKEN="),
        look_alike("env.prod", "SECRET=${APP_SECRET}"),
        look_alike("env.prod", "DB_PASS=$DB_PASS"),
        look_alike("deploy/prod.env", "API_TOKEN=changeme"),
        look_alike("deploy/prod.env", "CLIENT_SECRET=<client-secret>"),
        look_alike(".env.example", "SESSION_SECRET=xxx"),
        look_alike(".env.example", "STRIPE_API_KEY=your-stripe-key"),
        look_alike(".env.staging", "TOKEN_TTL=3600"),
        look_alike(".env.staging", "PASSWORD_MIN_LENGTH=12"),
        look_alike("app.env", "CREDENTIALS_FILE=/run/secrets/creds.json"),
        look_alike("web.config", "    <add key=\"ApiSecretHeader\" value=\"X-Api-Secret\"/>"),
        look_alike("web.config", "    <add key=\"ApiSecret\" value=\"\"/>"),
        look_alike("web.config", "    <add key=\"Timeout\" value=\"Qm9Xk2Lp7Rt4Wv8Zs1Yn3Bc6\"/>"),
        look_alike("build.xml", "  <property name=\"password\" value=\"${db.password}\"/>"),
        look_alike("conf/app.xml", "  <secret value=\"changeme\"/>"),
        look_alike("conf/app.xml", "  <option value=\"s3cr3tV4lu3XyZ98Qw\"/>"),
        look_alike("src/env.rs", "    let secret = abc;"),
        look_alike("src/env.ts", "export const password = process.env.DB_PASSWORD;"),
        look_alike("docs/encoded.md", "    SGVsbG8sIHdvcmxkISBUaGlzIGlzIGEgdGVzdCBzdHJpbmcu"),
        look_alike("web/fonts.css", "  src: url(data:font/woff2;base64,d09GMgABAAAAAAxoAA4AAAAAGBAAAAwTAAEAAAAAAAAAAAAAAAAAAAAAAAAAP0ZGVE0cGh4GYACCShEICoJ);"),
        look_alike("fixtures/event.json", "  \"payload\": \"{\\\"action\\\": \\\"opened\\\", \\\"number\\\": 42}\","),
        look_alike("fixtures/config.json", "  \"config\": \"{\\\"password\\\": \\\"changeme\\\"}\","),
        look_alike("tests/fixtures/fake_credentials.json", "  \"password\": \"fake-password-for-tests\","),
        look_alike("fixtures/users.json", "  \"password_hash\": \"pbkdf2_sha256$260000$3F2bQ$k9mQ2v7Lp\","),
        look_alike("k8s/secret.yaml", "  password: ${DB_PASSWORD}"),
    ]
}

/// A secret whose value sits on the lines after its name, or is wrapped over several lines,
/// as diff lines with their markers.
pub(super) struct MultiLineCase {
    /// The file the lines belong to.
    pub path: &'static str,
    /// The hunk's lines, each with its diff marker and a newline.
    pub body: String,
    /// The exact substrings that must each be replaced by one marker, in order.
    pub secrets: Vec<String>,
    /// The kind every finding must report.
    pub kind: SecretKind,
}

/// Lines spanning several lines that hold no secret although they resemble one.
pub(super) struct MultiLineLookAlike {
    /// The file the lines belong to.
    pub path: &'static str,
    /// The hunk's lines, each with its diff marker and a newline.
    pub body: String,
}

fn multi(path: &'static str, body: &str, secrets: &[&str], kind: SecretKind) -> MultiLineCase {
    let secrets = secrets.iter().map(|secret| secret.to_string()).collect();
    MultiLineCase { path, body: body.to_string(), secrets, kind }
}

/// A kubeconfig whose last lines hold a token and a password, as `KUBECONFIG_B64` carries it.
const KUBECONFIG_TEXT: &str = "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://k8s.acme.io:6443\n  name: prod\ncontexts:\n- context:\n    cluster: prod\n    user: ci\n  name: prod\ncurrent-context: prod\nusers:\n- name: ci\n  user:\n    username: ci\n    password: Kub3!Wr4pped9\n";

/// An environment file, base64-encoded by a deploy script.
const ENV_TEXT: &str = "APP_ENV=production\nAPP_URL=https://shop.acme.io\nLOG_LEVEL=info\nCACHE_TTL=3600\nDB_HOST=db.internal\nDB_PASSWORD=Wr4pp3d!Env42\n";

/// A wrapped blob with `marker` and `indent` before each line: the lines and their pieces.
fn wrapped_case(text: &str, width: usize, prefix: &str) -> (String, Vec<String>) {
    wrapped(&encode_base64(text.as_bytes()), width, prefix)
}

/// Values on the lines after their names (YAML block scalars, sequences, argv lists, TOML
/// multi-line strings, `.properties` continuations) and base64 wrapped over several lines.
pub(super) fn multi_line_cases() -> Vec<MultiLineCase> {
    use SecretKind::*;
    let mut cases = vec![
        multi("k8s/values.yaml", "+database:\n+  password: >\n+    Xk9mQ2v7Lp\n+  host: db\n", &["Xk9mQ2v7Lp"], HighEntropyAssignment),
        multi("config/app.yml", "+secret: |\n+  s3cr3t-V4lue-9qZx\n+name: shop\n", &["s3cr3t-V4lue-9qZx"], HighEntropyAssignment),
        multi("config/app.yml", "+  api_token: >-\n+    tK9xQ2mLp4Rv8Wz1Pb7NcD3\n", &["tK9xQ2mLp4Rv8Wz1Pb7NcD3"], HighEntropyAssignment),
        multi("config/app.yml", "+  db_password: |+ # rotated monthly\n+    Plus!Ch0mp42\n+\n+  port: 5432\n", &["Plus!Ch0mp42"], HighEntropyAssignment),
        multi("deploy/values.yml", "   password: |\n-    0ldPassw0rd!\n+    N3wPassw0rd!\n   host: db\n", &["0ldPassw0rd!", "N3wPassw0rd!"], HighEntropyAssignment),
        multi("deploy/values.yml", "   password:\n+    \"Qu0ted!Pw42\"\n", &["Qu0ted!Pw42"], HighEntropyAssignment),
        multi("config/app.yaml", "+  password:\n+    'S1ngle!Pw42' # from the vault\n", &["S1ngle!Pw42"], HighEntropyAssignment),
        multi("config/app.yaml", "+secret:\n+- Sq3nc3Secr3t42Xy\n+- Rt7vB2qLx9Mn4Kp8\n", &["Sq3nc3Secr3t42Xy", "Rt7vB2qLx9Mn4Kp8"], HighEntropyAssignment),
        multi("config/app.yaml", "+  api_tokens:\n+    - \"tK9xQ2mLp4Rv8Wz1Pb7NcD3F\"\n", &["tK9xQ2mLp4Rv8Wz1Pb7NcD3F"], HighEntropyAssignment),
        multi("docker-compose.yml", "+    command:\n+      - \"mysqld\"\n+      - \"--password\"\n+      - \"Cmp0se!Pw42\"\n", &["Cmp0se!Pw42"], CommandLinePassword),
        multi("k8s/job.yaml", "+          args:\n+            - --db-password\n+            - K8sArgs!Pw9\n", &["K8sArgs!Pw9"], CommandLinePassword),
        multi("k8s/job.yaml", "+          args:\n+            - sshpass\n+            - -p\n+            - \"Ssh!Arg5Pw\"\n", &["Ssh!Arg5Pw"], CommandLinePassword),
        multi("k8s/job.yaml", "+            - '--api-token'\n+            - 'tK9xQ2mLp4Rv8Wz1Pb7NcD3F'\n", &["tK9xQ2mLp4Rv8Wz1Pb7NcD3F"], HighEntropyAssignment),
        multi("config/settings.json", "+  \"password\":\n+    \"J50n!NextLine\",\n", &["J50n!NextLine"], HighEntropyAssignment),
        multi("config/app.toml", "+password = \"\"\"\n+T0ml!Multi9\n+\"\"\"\n", &["T0ml!Multi9"], HighEntropyAssignment),
        multi("config/app.toml", "+api_token = '''\n+tK9xQ2mLp4Rv8Wz1Pb7NcD3F'''\n", &["tK9xQ2mLp4Rv8Wz1Pb7NcD3F"], HighEntropyAssignment),
        multi("src/main/resources/app.properties", "+db.password=\\\n+    Pr0ps!Cont9\n", &["Pr0ps!Cont9"], HighEntropyAssignment),
        multi("src/main/resources/app.properties", "+jdbc.password = Pr0ps\\\n+    !Split9x\n", &["Pr0ps", "!Split9x"], HighEntropyAssignment),
        multi("k8s/deploy.yaml", "+        env:\n+          - name: DB_PASSWORD\n+            value: \"K8sEnv!Pw42\"\n+          - name: LOG_LEVEL\n+            value: info\n", &["K8sEnv!Pw42"], HighEntropyAssignment),
        multi("deploy/task-definition.json", "+      {\n+        \"name\": \"DB_PASSWORD\",\n+        \"value\": \"Ecs!Env42x\"\n+      },\n", &["Ecs!Env42x"], HighEntropyAssignment),
        multi("infra/db.tf", "+  password = <<EOF\n+H3redoc!Pw42\n+EOF\n", &["H3redoc!Pw42"], HighEntropyAssignment),
        multi("scripts/restore.sh", "+mysql -h db -u root \\\n+  -pSh3ll!Cont42 shop < dump.sql\n", &["Sh3ll!Cont42"], CommandLinePassword),
        multi("scripts/health.sh", "+curl -fsS \\\n+  -u admin:Cu4l!Cont \\\n+  https://grafana.acme.io/api/health\n", &["Cu4l!Cont"], CommandLinePassword),
        multi("scripts/migrate.sh", "+psql -h db \\\n+  --password \\\n+  Ps9l!Cont42\n", &["Ps9l!Cont42"], CommandLinePassword),
    ];
    for (path, width, prefix, head, tail, text) in [
        (
            "k8s/ci.yaml",
            76,
            "+    ",
            "+  KUBECONFIG_B64: |\n",
            "+  NAMESPACE: prod\n",
            KUBECONFIG_TEXT,
        ),
        ("deploy/kubeconfig.b64", 64, "+", "", "", KUBECONFIG_TEXT),
        ("scripts/seed.sh", 60, "+", "+base64 -d > .env <<EOF\n", "+EOF\n", ENV_TEXT),
        ("ci/deploy.yml", 76, "+        ", "       data: |\n", "", ENV_TEXT),
    ] {
        let (lines, pieces) = wrapped_case(text, width, prefix);
        let mut case = multi(path, &format!("{head}{lines}{tail}"), &[], EncodedSecret);
        case.secrets = pieces;
        cases.push(case);
    }
    // The blob's last line, changed by the diff, holds the password; the earlier lines are
    // context.
    let (lines, pieces) = wrapped_case(KUBECONFIG_TEXT, 76, " ");
    let mut lines: Vec<&str> = lines.lines().collect();
    let last = format!("+{}", &lines[lines.len() - 1][1..]);
    let count = lines.len();
    lines[count - 1] = &last;
    let body: String = lines.iter().map(|line| format!("{line}\n")).collect();
    let mut case = multi("deploy/kubeconfig.b64", &body, &[], EncodedSecret);
    case.secrets = pieces;
    cases.push(case);
    // A shell variable whose quoted value starts on the line of its name.
    let blob = encode_base64(ENV_TEXT.as_bytes());
    let (first, rest) = blob.split_at(60);
    let (lines, mut pieces) = wrapped(rest, 60, "+");
    pieces.insert(0, first.to_string());
    let body = format!("+export ENV_B64=\"{first}\n{}+\"\n", lines);
    let mut case = multi("scripts/ci.sh", &body, &[], EncodedSecret);
    case.secrets = pieces;
    cases.push(case);
    // A blob that fills its last line exactly, followed by a heredoc's closing word.
    let exact = "users:\n- name: ci\n  user:\n    password: Kub3!Wr4pped9xyzab\n";
    assert_eq!(encode_base64(exact.as_bytes()).len() % 76, 4);
    let (lines, pieces) = wrapped_case(exact, 76, "+");
    let body = format!("+base64 -d > kubeconfig <<EOF\n{lines}+EOF\n");
    let mut case = multi("scripts/kubeconfig.sh", &body, &[], EncodedSecret);
    case.secrets = pieces;
    cases.push(case);
    cases
}

fn multi_look_alike(path: &'static str, body: &str) -> MultiLineLookAlike {
    MultiLineLookAlike { path, body: body.to_string() }
}

/// Multi-line look-alikes: prose in block scalars, flag lists, references on the next line,
/// and wrapped base64 of harmless data.
pub(super) fn multi_line_look_alikes() -> Vec<MultiLineLookAlike> {
    let mut look_alikes = vec![
        multi_look_alike("chart/Chart.yaml", "+description: >\n+  Shop backend with the password reset\n+  flow and token refresh.\n+version: 1.2.0\n"),
        multi_look_alike("config/app.yml", "+password_policy: >\n+  Twelve characters at least.\n"),
        multi_look_alike("docker-compose.yml", "+    command:\n+      - --verbose\n+      - --log-level\n+      - debug\n"),
        multi_look_alike("k8s/job.yaml", "+          args:\n+            - --password-file\n+            - /run/secrets/db\n"),
        multi_look_alike("docker-compose.yml", "+    command:\n+      - run\n+      - -p\n+      - 8080:80\n"),
        multi_look_alike("k8s/job.yaml", "+          args:\n+            - -p\n+            - dev\n"),
        multi_look_alike("k8s/job.yaml", "+          args:\n+            - --password\n+            - $(DB_PASSWORD)\n"),
        multi_look_alike("k8s/values.yaml", "+  password:\n+    ${DB_PASSWORD}\n"),
        multi_look_alike("chart/templates/secret.yaml", "+  password:\n+    \"{{ .Values.db.password }}\"\n"),
        multi_look_alike("config/app.yml", "+secret: |\n+  changeme\n"),
        multi_look_alike("config/app.yml", "+tokens:\n+  - ${TOKEN_A}\n+  - name: ci\n+    scopes: [read]\n"),
        multi_look_alike("k8s/deploy.yaml", "+            - name: DB_PASSWORD\n+              valueFrom:\n+                secretKeyRef:\n+                  name: db-secret\n+                  key: password\n"),
        multi_look_alike("k8s/values.yaml", "+  password:\n+  host: db.internal\n"),
        multi_look_alike("config/settings.json", "+  \"token\":\n+    null,\n"),
        multi_look_alike("config/app.toml", "+description = \"\"\"\n+The shop's backend.\n+\"\"\"\n"),
        multi_look_alike("config/app.toml", "+password = \"\"\"\n+changeme\n+\"\"\"\n"),
        multi_look_alike("src/main/resources/app.properties", "+greeting=Hello \\\n+    world\n"),
        multi_look_alike("src/main/resources/app.properties", "+db.password=\\\n+    ${DB_PASSWORD}\n"),
        multi_look_alike("k8s/deploy.yaml", "+          - name: DB_PASSWORD\n+            value: \"{{ .Values.db.password }}\"\n+          - name: LOG_LEVEL\n+            value: debug\n"),
        multi_look_alike("k8s/deploy.yaml", "+          - name: API_TOKEN\n+            valueFrom:\n+              secretKeyRef:\n+                name: api\n+                key: token\n"),
        multi_look_alike("infra/db.tf", "+  description = <<EOF\n+Holds the password table.\n+EOF\n"),
        multi_look_alike("scripts/build.sh", "+cargo build \\\n+  --release \\\n+  --locked\n"),
        multi_look_alike("scripts/psql.sh", "+PGPASSWORD=\"$DB_PASSWORD\" psql \\\n+  -h db -U app\n"),
        multi_look_alike("docker-compose.yml", "+    command:\n+      - \"--bypass\"\n+      - \"cache\"\n"),
    ];
    let png: Vec<u8> = (0..400u32).map(|index| (index * 7919 % 251) as u8).collect();
    let fixture = "The quick brown fox jumps over the lazy dog. ".repeat(8);
    for (path, blob, width, prefix) in [
        ("web/logo.b64", encode_base64(&png), 76, "+"),
        ("tests/fixtures/quote.b64", encode_base64(fixture.as_bytes()), 64, "+  "),
        ("tests/fixtures/quote.yml", encode_base64(fixture.as_bytes()), 60, "+    "),
    ] {
        let (body, _) = wrapped(&blob, width, prefix);
        look_alikes.push(multi_look_alike(path, &format!("{body}+EOF\n")));
    }
    look_alikes
}

/// Environment values holding spaces, credentials in XML and INI attributes, and the one-line
/// forms of TOML's triple-quoted strings and quoted `--flag=value` list items.
fn phrase_and_attribute_cases() -> Vec<SecretCase> {
    use SecretKind::*;
    vec![
        case(
            "env.prod",
            "SECRET=my pass phrase".to_string(),
            "my pass phrase",
            HighEntropyAssignment,
        ),
        case(
            "env.prod",
            "SECRET=my pass phrase # rotated monthly".to_string(),
            "my pass phrase",
            HighEntropyAssignment,
        ),
        case(
            ".env.local",
            "DB_PASSWORD=\"two words here\"".to_string(),
            "two words here",
            HighEntropyAssignment,
        ),
        case(".envrc", "export API_TOKEN='a b c'".to_string(), "a b c", HighEntropyAssignment),
        case(
            "deploy/prod.env",
            "SMTP_PASSWORD=P@ss;word, with spaces".to_string(),
            "P@ss;word, with spaces",
            HighEntropyAssignment,
        ),
        case(
            "conf/datasource.xml",
            "  <datasource user=\"app\" password=\"S3cr3tPw!\" url=\"jdbc:h2:mem\"/>".to_string(),
            "S3cr3tPw!",
            ConnectionStringPassword,
        ),
        case(
            "conf/tomcat-users.xml",
            "  <user username=\"admin\" password=\"tomcat9\" roles=\"manager-gui\"/>".to_string(),
            "tomcat9",
            ConnectionStringPassword,
        ),
        case(
            "conf/broker.xml",
            "  <connection secret='Sq!Att42x'/>".to_string(),
            "Sq!Att42x",
            HighEntropyAssignment,
        ),
        case(
            "conf/server.xml",
            "    <password>hunter2</password>".to_string(),
            "hunter2",
            HighEntropyAssignment,
        ),
        case(
            "App.config",
            "    <Password>Pr0dPw!42</Password>".to_string(),
            "Pr0dPw!42",
            HighEntropyAssignment,
        ),
        case(
            "config/app.ini",
            "password = Ini!Pw42".to_string(),
            "Ini!Pw42",
            HighEntropyAssignment,
        ),
        case(
            "config/app.ini",
            "token=9f8e7d6c5b4a39281706f5e4d3c2b1a0".to_string(),
            "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            HighEntropyAssignment,
        ),
        case(
            "config/app.toml",
            "password = \"\"\"T0ml!Single9\"\"\"".to_string(),
            "T0ml!Single9",
            HighEntropyAssignment,
        ),
        case(
            "docker-compose.yml",
            "      - \"--password=Cmp0se!Pw42\"".to_string(),
            "Cmp0se!Pw42",
            HighEntropyAssignment,
        ),
        case(
            "docker-compose.yml",
            "    command: [\"mysqld\", \"--password\", \"Fl0w!Pw42\"]".to_string(),
            "Fl0w!Pw42",
            CommandLinePassword,
        ),
        case(
            "Dockerfile",
            "CMD [\"redis-server\", \"--requirepass\", \"R3dis!Pw42\"]".to_string(),
            "R3dis!Pw42",
            CommandLinePassword,
        ),
        case(
            "conf/redis.conf",
            "requirepass R3dis!Conf42".to_string(),
            "R3dis!Conf42",
            CommandLinePassword,
        ),
        case(
            "app/settings.py",
            "PASSWORD = '''S3cr3tPyth0n!'''".to_string(),
            "S3cr3tPyth0n!",
            HighEntropyAssignment,
        ),
        case(
            "deploy/task-definition.json",
            "        {\"name\": \"DB_PASSWORD\", \"value\": \"Ecs!Inline42\"},".to_string(),
            "Ecs!Inline42",
            HighEntropyAssignment,
        ),
        case(
            "k8s/deploy.yaml",
            "  - {name: API_SECRET, value: Fl0wMap!Secret42xyzQ}".to_string(),
            "Fl0wMap!Secret42xyzQ",
            HighEntropyAssignment,
        ),
    ]
}

/// Look-alikes of those forms: placeholders, prose and form fields.
fn phrase_and_attribute_look_alikes() -> Vec<LookAlike> {
    vec![
        look_alike("env.prod", "SECRET=your secret here"),
        look_alike("env.prod", "DB_PASSWORD=\"password goes here\""),
        look_alike("env.prod", "API_TOKEN=  # set by the deploy job"),
        look_alike("deploy/prod.env", "APP_NAME=my shop backend"),
        look_alike(
            "web/login.html",
            "  <input type=\"password\" name=\"password\" placeholder=\"Password\"/>",
        ),
        look_alike(
            "conf/datasource.xml",
            "  <datasource user=\"app\" password=\"${DB_PASSWORD}\"/>",
        ),
        look_alike("conf/tomcat-users.xml", "  <user username=\"admin\" password=\"changeme\"/>"),
        look_alike("conf/server.xml", "    <password>${env.DB_PASSWORD}</password>"),
        look_alike("templates/form.html", "  <input name=\"token\" value=\"{{ csrf_token }}\"/>"),
        look_alike("config/app.ini", "password ="),
        look_alike(
            "docker-compose.yml",
            "    command: [\"mysqld\", \"--password\", \"$MYSQL_PASSWORD\"]",
        ),
        look_alike("conf/redis.conf", "# requirepass foobared"),
        look_alike("web/signup.html", "  <input type=\"password\" data-token=\"abc123\">"),
        look_alike(
            "web/signup.html",
            "  <div class=\"password-field\" aria-label=\"password hint\">",
        ),
        look_alike("app/models.py", "    DOC = \"\"\"The password is read from the vault.\"\"\""),
        look_alike(
            "deploy/task-definition.json",
            "        {\"name\": \"DB_PASSWORD\", \"value\": \"\"},",
        ),
        look_alike("k8s/deploy.yaml", "  - {name: LOG_LEVEL, value: debug}"),
    ]
}
