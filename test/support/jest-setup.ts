/** Runs before every test file: quiet logs (Powertools reads its level when the logger is created) and no SDK notice. */
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
