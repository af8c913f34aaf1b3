from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0017_series')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Attendee',
            name='first_time',
            field=fields.CharField(max_length=6, null=True),
        ),
    ]
