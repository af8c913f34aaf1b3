from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0018_first_time')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ActionItem',
            name='email',
            field=fields.CharField(default='', max_length=254),
        ),
        ops.AddField(
            model_name='ActionItem',
            name='reminded_due',
            field=fields.DateField(null=True),
        ),
    ]
