// PLACEHOLDER: the kms-import commands come with the CLI issue.
return 0;
