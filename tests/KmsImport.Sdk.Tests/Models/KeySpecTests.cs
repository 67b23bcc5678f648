namespace KmsImport.Sdk.Tests.Models;

public class KeySpecTests
{
    [Test]
    public void Traits_Give_The_Sm_Specs_Length_And_Importability()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KeySpec.Sm4.SymmetricMaterialLength, Is.EqualTo(16));
            Assert.That(KeySpec.Sm4.IsImportable && KeySpec.Sm2.IsImportable && KeySpec.Sm2.IsSm, Is.True);
            Assert.That(KeySpec.HmacSm3.IsImportable, Is.False);
        });
    }
}
