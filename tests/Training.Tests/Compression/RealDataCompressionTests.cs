using Training.Compression;
using Training.Models;

namespace Training.Tests.Compression;

/// <summary>Pruning and distillation of a teacher trained on a slice of the real Fashion-MNIST data.</summary>
public sealed class RealDataCompressionTests(SubsetTeacherFixture fixture) : IClassFixture<SubsetTeacherFixture>
{
    [Fact]
    public async Task Pruning_70_percent_then_fine_tuning_2_epochs_stays_within_2_points_of_the_teacher()
    {
        var result = await MagnitudePruner.PruneAndFineTuneAsync(fixture.Teacher.Model, fixture.Options, fixture.Split.Train, fixture.Split.Validation,
            new PruningOptions { TargetSparsity = 0.7, FineTuneEpochs = 2 });

        var accuracy = result.Model.Accuracy(fixture.Test);
        Assert.True(accuracy >= fixture.TeacherAccuracy - 0.02, $"pruned {accuracy:P2}, teacher {fixture.TeacherAccuracy:P2}");
        Assert.Equal(0.7, result.Sparsity.Sparsity, 5);
        // Global pruning takes more of the wide input layer than of the 1,280-weight output layer.
        Assert.True(result.Sparsity.Layers[0].Sparsity > result.Sparsity.Layers[2].Sparsity, result.Sparsity.Describe());
    }

    [Fact]
    public async Task A_distilled_student_matches_its_teachers_softened_outputs_far_better_than_the_same_student_trained_on_labels()
    {
        var distillation = new DistillationOptions { StudentHiddenLayers = [32], Epochs = 4 };
        var distilled = await Distiller.DistillAsync(fixture.Teacher.Model, fixture.Options, fixture.Split.Train, fixture.Split.Validation, distillation);
        var scratch = await new Trainer(distillation.Student(fixture.Options)).TrainAsync(fixture.Split.Train, fixture.Split.Validation);

        // Mean KL(teacher ‖ student) of the distributions softened with T, on test images neither has seen:
        // what the soft term optimizes, so a broken soft term or misaligned targets show up here first.
        var loss = distillation.CreateLoss();
        var teacher = DistillationTargets.FromTeacher(fixture.Teacher.Model, fixture.Test, loss).SoftTargets.ToArray();
        double SoftenedKl(MlpModel student)
        {
            var soft = DistillationTargets.FromTeacher(student, fixture.Test, loss).SoftTargets;
            double kl = 0;
            for (var i = 0; i < teacher.Length; i++) kl += teacher[i] * Math.Log(teacher[i] / soft[i]);
            return kl / fixture.Test.Count;
        }
        var (distilledKl, scratchKl) = (SoftenedKl(distilled.Student), SoftenedKl(scratch.Model));
        var (distilledAccuracy, scratchAccuracy) = (distilled.Student.Accuracy(fixture.Test), scratch.Model.Accuracy(fixture.Test));

        var summary = $"KL at T={loss.Temperature}: distilled {distilledKl:F4}, scratch {scratchKl:F4}; accuracy: distilled {distilledAccuracy:P2}, " +
                      $"scratch {scratchAccuracy:P2}, teacher {fixture.TeacherAccuracy:P2}";
        Assert.True(distilledKl < 0.7 * scratchKl, summary);
        Assert.True(distilledAccuracy > 0.72 && distilledAccuracy >= scratchAccuracy - 0.03, summary);
        Assert.Equal("784-32-10", distilled.Training.Record.Architecture);
    }
}
