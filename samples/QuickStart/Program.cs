// PLACEHOLDER: the quick start comes with the CLI issue.
System.Console.WriteLine("KmsImport.Sdk quick start");
